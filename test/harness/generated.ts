import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from './cli.js';
import { awsProviderOverride, type Moto } from './moto.js';
import { tempDir } from './tmp.js';
import { tofu } from './tofu.js';

/** Scaffolds a repository with the built CLI (no validation: the caller runs tofu itself); no CI unless `args` name one (the CLI refuses an option given twice). */
export async function scaffold(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const parent = tempDir('cti-gen-');
  const ci = args.includes('--ci') ? [] : ['--ci', 'none'];
  const r = await runCli(['repo', '--yes', '--skip-validate', ...ci, ...args], { cwd: parent, env });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return join(parent, 'repo');
}

export const MARKER_TF = `# test-only: a resource holding a secret, so state and plans can be searched for it
variable "marker_secret" {
  type      = string
  sensitive = true
}

variable "hold_seconds" {
  type    = number
  default = 0
}

variable "hold_token" {
  type    = string
  default = "initial"
}

resource "terraform_data" "marker" {
  input = var.marker_secret
}

resource "terraform_data" "hold" {
  triggers_replace = [var.hold_token]

  provisioner "local-exec" {
    command = "sleep \${var.hold_seconds}"
  }
}

output "marker" {
  value     = terraform_data.marker.output
  sensitive = true
}
`;

/** Test-only files that point a generated AWS root at moto: provider overrides and a partial backend config. */
export function pointAtMoto(rootDir: string, moto: Moto, opts: { byRegion: boolean }): void {
  const overrides = [awsProviderOverride(moto.endpoint), ...(opts.byRegion ? [awsProviderOverride(moto.endpoint, { alias: 'by_region' })] : [])];
  writeFileSync(join(rootDir, 'moto_override.tf'), overrides.join('\n'));
  writeFileSync(
    join(rootDir, 'moto.s3.tfbackend'),
    `endpoints = {
  s3       = "${moto.endpoint}"
  dynamodb = "${moto.endpoint}"
  sts      = "${moto.endpoint}"
  iam      = "${moto.endpoint}"
}
use_path_style              = true
skip_credentials_validation = true
skip_requesting_account_id  = true
skip_metadata_api_check     = true
`,
  );
}

/** A state (or saved plan) written through the encryption block: an envelope, without the secret. */
export function expectEnvelope(body: string | undefined, secret: string): void {
  expect(body, 'state exists').toBeDefined();
  expect(body).not.toContain(secret);
  const envelope = JSON.parse(body!) as Record<string, unknown>;
  expect(Object.keys(envelope)).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
  expect(envelope).not.toHaveProperty('resources');
}

export function addMarker(rootDir: string): void {
  writeFileSync(join(rootDir, 'marker.tf'), MARKER_TF);
}

/** Runs tofu and fails the test with tofu's own words when it does not exit 0. */
export async function tofuOk(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await tofu(cwd, args, env);
  expect(r.exitCode, `tofu ${args.join(' ')} in ${cwd}:\n${r.all}`).toBe(0);
  return r.all;
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Applies bootstrap without the state buckets' lifecycle rules, for tests that read nothing of
 * them: after creating one, the aws provider reads it back until it matched ten times in a row,
 * 5 s apart after a 10 s delay (its waitLifecycleConfigEquals, the same against AWS), about 55 s
 * per apply. A test-only override file empties their for_each; the prove lives apply bootstrap
 * whole, the rules included.
 */
export async function applyBootstrapSkippingLifecycleRules(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // The pipelines' checkov reads this file too (ci-github-act, ci-gitlab-local commit it): it declares no rule at all.
  writeFileSync(
    join(dir, 'lifecycle_override.tf'),
    'resource "aws_s3_bucket_lifecycle_configuration" "state" {\n  # checkov:skip=CKV_AWS_300: test-only override, no lifecycle rule at all\n  for_each = {}\n}\n',
  );
  await tofuOk(dir, ['apply', '-auto-approve', '-input=false'], env);
}

/**
 * Applies a generated bootstrap stack against moto (applyBootstrapSkippingLifecycleRules), then removes the bucket policies it made:
 * moto applies a Deny statement without evaluating its TLS condition (see Moto.s3DeletePolicy).
 */
export async function bootstrapAgainstMoto(repo: string, moto: Moto): Promise<void> {
  const dir = join(repo, 'bootstrap');
  pointAtMoto(dir, moto, { byRegion: false });
  await tofuOk(dir, ['init', '-input=false'], moto.env);
  await applyBootstrapSkippingLifecycleRules(dir, moto.env);
  const out = await tofuOk(dir, ['output', '-json', 'state_buckets'], moto.env);
  for (const bucket of new Set(Object.values(JSON.parse(out) as Record<string, string>))) moto.s3DeletePolicy(bucket);
}

export { appendFileSync };
