// Running a generated .gitlab-ci.yml for real with gitlab-ci-local's shell executor, against moto.
// Test-only files (moto_override.tf, backend_override.tf, drift_marker.tf) point each root at moto;
// they are committed into the test repository because gitlab-ci-local's isolated jobs only see
// tracked files. Needs rsync (gitlab-ci-local copies the tracked files with it).
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { applyBootstrapSkippingLifecycleRules, tofuOk } from './generated.js';
import { awsProviderOverride, s3BackendOverride, type Moto } from './moto.js';
import { gitlabCiLocal } from './ci-pipelines.js';
import { withLinters } from './quality.js';
import { tofuEnv, toolchain } from './toolchain.js';

const GIT_ID = ['-c', 'user.name=cti-test', '-c', 'user.email=cti-test@example.invalid', '-c', 'commit.gpgsign=false'];

export async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa('git', [...GIT_ID, ...args], { cwd });
  return r.stdout;
}

/** A resource whose live value can be changed behind tofu's back (drift), with a per-environment name. */
export const driftMarker = (env: string) => `# test-only: a parameter to change out of band, so that the drift job has something to find
resource "aws_ssm_parameter" "drift_marker" {
  # checkov:skip=CKV2_AWS_34: test-only marker holding no secret
  name  = "/cti-test/${env}/drift-marker"
  type  = "String"
  value = "as-in-code"
}
`;

/**
 * Points a root at moto: provider endpoints, and the backend (an override file replaces the whole
 * backend block). `keys: 'ambient'`: the providers set no keys and take the job's own credentials
 * (its web identity), as the backend and the key provider always do.
 */
export async function pointRootAtMoto(
  rootDir: string,
  moto: Moto,
  backend: Record<string, string | boolean>,
  env: string,
  opts: { keys?: 'ambient' } = {},
): Promise<void> {
  writeFileSync(
    join(rootDir, 'moto_override.tf'),
    [awsProviderOverride(moto.endpoint, opts), awsProviderOverride(moto.endpoint, { ...opts, alias: 'by_region' })].join('\n'),
  );
  writeFileSync(join(rootDir, 'backend_override.tf'), s3BackendOverride(moto.endpoint, backend));
  writeFileSync(join(rootDir, 'drift_marker.tf'), driftMarker(env));
  await tofuOk(rootDir, ['fmt'], {});
}

/** The backend settings a generated backend.tf holds (bucket, key, region, use_lockfile). */
export function backendSettings(rootDir: string): Record<string, string | boolean> {
  const text = readFileSync(join(rootDir, 'backend.tf'), 'utf8');
  const settings: Record<string, string | boolean> = {};
  for (const [, key, value] of text.matchAll(/^\s*(bucket|key|region|dynamodb_table)\s*=\s*"([^"]*)"/gm)) settings[key!] = value!;
  if (/use_lockfile\s*=\s*true/.test(text)) settings.use_lockfile = true;
  return settings;
}

/** Applies bootstrap against moto (local state; no lifecycle rules: applyBootstrapSkippingLifecycleRules) and lifts the TLS-only bucket policies moto cannot evaluate. */
export async function bootstrapAgainstMoto(repo: string, moto: Moto): Promise<void> {
  const dir = join(repo, 'bootstrap');
  writeFileSync(join(dir, 'moto_override.tf'), awsProviderOverride(moto.endpoint));
  await tofuOk(dir, ['fmt'], {});
  await tofuOk(dir, ['init', '-input=false'], moto.env);
  await applyBootstrapSkippingLifecycleRules(dir, moto.env);
  const out = await tofuOk(dir, ['output', '-json', 'state_buckets'], moto.env);
  // moto cannot evaluate the TLS-only policy's condition and would deny everything (see moto.ts).
  for (const bucket of new Set(Object.values(JSON.parse(out) as Record<string, string>))) moto.s3DeletePolicy(bucket);
}

/** The README's one-time step of the workspace layout: a workspace per environment, each written first with its own key. */
export async function createWorkspaces(repo: string, moto: Moto, workspaces: { root: string; workspace: string; env?: NodeJS.ProcessEnv }[]): Promise<void> {
  for (const w of workspaces.filter((x) => x.workspace)) {
    const dir = join(repo, w.root);
    const env = { ...moto.env, ...w.env, TF_WORKSPACE: '' };
    await tofuOk(dir, ['init', '-input=false', '-reconfigure'], env);
    await tofuOk(dir, ['workspace', 'new', w.workspace], { ...env, TF_VAR_new_workspace: w.workspace });
    await tofuOk(dir, ['workspace', 'select', 'default'], env);
  }
}

/** Commits everything, test-only override files included (they are gitignored by design). */
export async function commitAll(repo: string, message: string): Promise<void> {
  await git(repo, ['add', '-A']);
  await git(repo, ['add', '-f', '--', ...trackedOverrides(repo)]);
  await git(repo, ['commit', '-q', '-m', message]);
}

function trackedOverrides(repo: string, dir = ''): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((e) => {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === '.git' || e.name === '.terraform' || e.name === '.gitlab-ci-local' ? [] : trackedOverrides(repo, path);
    return e.name.endsWith('_override.tf') ? [path] : [];
  });
}

export interface PipelineRun {
  exitCode: number;
  output: string;
  /** Every job's log as gitlab-ci-local keeps it (.gitlab-ci-local/output/<job>.log). */
  logs: string;
}

/**
 * Runs gitlab-ci-local in `repo`: shell executor, isolated jobs (only tracked files, artifacts passed
 * as GitLab passes them), CI/CD variables given like project variables. Jobs inherit no AWS keys
 * from the test: they reach moto only as the role their ID token assumes.
 */
export async function runPipeline(repo: string, args: string[], variables: Record<string, string>, moto: Moto): Promise<PipelineRun> {
  const r = await execa(
    'node',
    [
      gitlabCiLocal(),
      '--force-shell-executor',
      '--shell-isolation',
      '--no-artifacts-to-source',
      '--no-color',
      '--ignore-predefined-vars',
      'CI_PIPELINE_SOURCE',
      ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
      ...args,
    ],
    {
      cwd: repo,
      // The tflint and checkov jobs run the toolchain's linters (the shell executor ignores images).
      env: withoutAwsKeys(withLinters(tofuEnv(moto.env))),
      extendEnv: false,
      reject: false,
      all: true,
    },
  );
  let logs = '';
  try {
    const dir = join(repo, '.gitlab-ci-local', 'output');
    logs = stripAnsi(
      readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n'),
    );
  } catch {
    // no job ran
  }
  return { exitCode: r.exitCode ?? -1, output: stripAnsi(r.all ?? ''), logs };
}

const AWS_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];

function withoutAwsKeys(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !AWS_KEYS.includes(name)));
}

/** Text without ANSI colour codes (tofu colours its plan and apply summaries). */
// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string) => text.replaceAll(/\x1b\[[0-9;]*m/g, '');

/**
 * Project CI/CD variables scoped to environments, as GitLab scopes per-environment secrets: written
 * to gitlab-ci-local's project variables file (untracked, so isolated jobs never see the file).
 */
export function scopedVariables(repo: string, variables: Record<string, Record<string, string>>): void {
  const doc = Object.fromEntries(Object.entries(variables).map(([name, byEnv]) => [name, { type: 'variable', values: byEnv }]));
  writeFileSync(join(repo, '.gitlab-ci-local-variables.yml'), JSON.stringify(doc, null, 2), { mode: 0o600 });
}

/**
 * CI/CD variables of the test pipeline: moto's endpoints and CA, the toolchain's providers; no AWS
 * keys (the ID tokens and role ARNs are scoped to environments: scopedVariables).
 */
export function pipelineVariables(moto: Moto, extra: Record<string, string> = {}): Record<string, string> {
  const t = toolchain() as ReturnType<typeof toolchain> & { pluginCacheDir?: string };
  const motoEnv = Object.fromEntries(Object.entries(withoutAwsKeys(moto.env)).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return {
    ...motoEnv,
    TF_CLI_CONFIG_FILE: t.cliConfig,
    ...(t.pluginCacheDir ? { TF_PLUGIN_CACHE_DIR: t.pluginCacheDir } : {}),
    // The informational upgrade-check job runs npx create-tofu-infra@latest: not from the tests.
    CREATE_TOFU_INFRA_UPGRADE_CHECK: 'false',
    GOGC: 'off',
    GOMEMLIMIT: '2GiB',
    ...extra,
  };
}

/**
 * A JWT-shaped GitLab ID token for gitlab-ci-local, which issues none (firecow/gitlab-ci-local#1082):
 * GitLab's claims for a job of `project` on `ref` in `environment`, signed by nobody (moto verifies
 * no signature; the test decides the role's trust policy on the claims itself).
 */
export function gitlabIdToken(opts: { host: string; project: string; ref: string; environment: string; audience: string }): {
  token: string;
  claims: Record<string, string | number>;
} {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${opts.host}`,
    aud: opts.audience,
    sub: `project_path:${opts.project}:ref_type:branch:ref:${opts.ref}`,
    namespace_path: opts.project.slice(0, opts.project.lastIndexOf('/')),
    project_path: opts.project,
    ref: opts.ref,
    ref_type: 'branch',
    ref_protected: 'true',
    environment: opts.environment,
    environment_protected: 'true',
    jti: randomUUID(),
    iat: now,
    nbf: now - 5,
    exp: now + 3600,
  };
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return { token: `${part({ alg: 'RS256', kid: 'cti-test', typ: 'JWT' })}.${part(claims)}.${randomBytes(64).toString('base64url')}`, claims };
}
