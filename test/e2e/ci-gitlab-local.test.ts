// The generated .gitlab-ci.yml, executed: gitlab-ci-local runs its jobs with the shell executor
// against moto, the way GitLab would on the default branch. A change to one environment plans only
// that environment; validate, plan and the manual apply of exactly the saved plan succeed; no job
// prints the (marked) AWS secret key; the scheduled drift job fails when live infrastructure differs.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold, tofuOk } from '../harness/generated.js';
import { awsProviderOverride, startMoto, type Moto } from '../harness/moto.js';
import { toolchain } from '../harness/toolchain.js';
import { offlineTflintConfig } from '../harness/quality.js';
import { backendSettings, commitAll, git, pipelineVariables, pointRootAtMoto, runPipeline, type PipelineRun } from '../harness/ci-gitlab-local.js';

const SECRET = `marked-secret-${process.pid}-do-not-print`;
// Plans touch only the test's drift marker: the network module needs more AWS than moto offers.
const ONLY_MARKER = { TF_CLI_ARGS_plan: '-target=aws_ssm_parameter.drift_marker' };

async function bootstrap(repo: string, moto: Moto): Promise<void> {
  const dir = join(repo, 'bootstrap');
  writeFileSync(join(dir, 'moto_override.tf'), awsProviderOverride(moto.endpoint));
  await tofuOk(dir, ['fmt'], {});
  await tofuOk(dir, ['init', '-input=false'], moto.env);
  await tofuOk(dir, ['apply', '-auto-approve', '-input=false'], moto.env);
  const out = await tofuOk(dir, ['output', '-json', 'state_buckets'], moto.env);
  // moto cannot evaluate the TLS-only policy's condition and would deny everything (see moto.ts).
  for (const bucket of new Set(Object.values(JSON.parse(out) as Record<string, string>))) moto.s3DeletePolicy(bucket);
}

/** Changes a parameter behind tofu's back: the drift the scheduled job must find. */
function setParameter(moto: Moto, name: string, value: string): void {
  const python = join(toolchain().motoServer, '..', 'python');
  const code = `import boto3; boto3.client("ssm", endpoint_url="${moto.endpoint}", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test", verify="${moto.env.AWS_CA_BUNDLE}").put_parameter(Name="${name}", Value="${value}", Type="String", Overwrite=True)`;
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not change ${name} in moto: ${r.stderr}`);
}

function expectNoSecret(run: PipelineRun): void {
  expect(run.output).not.toContain(SECRET);
  expect(run.logs).not.toContain(SECRET);
}

/** PASS/FAIL lines gitlab-ci-local prints at the end, by job name. */
function results(run: PipelineRun): Record<string, string> {
  return Object.fromEntries([...run.output.matchAll(/^\s*(PASS|FAIL)\s+(.+?)\s*$/gm)].map(([, status, job]) => [job!, status!]));
}

describe('directory layout, S3 + aws_kms: the GitLab pipeline run by gitlab-ci-local against moto', () => {
  let moto: Moto;
  let repo: string;

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold(['--name', 'acme', '--envs', 'dev,prod', '--modules', 'network', '--ci', 'gitlab']);
    await bootstrap(repo, moto);
    for (const env of ['dev', 'prod']) {
      const dir = join(repo, 'environments', env);
      await pointRootAtMoto(dir, moto, backendSettings(dir), env);
    }
    // Test-only: the aws tflint ruleset cannot be downloaded here (see test/harness/quality.ts).
    offlineTflintConfig(repo);
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await commitAll(repo, 'scaffold');
    // What the default branch held before this push: rules:changes compares with it.
    await git(repo, ['update-ref', 'refs/remotes/origin/main', 'HEAD']);
    appendFileSync(join(repo, 'environments', 'dev', 'main.tf'), '\n# a change to dev only\n');
    await commitAll(repo, 'change dev');
  });
  afterAll(async () => moto?.stop());

  it('lists validate, and plan and a manual apply for the affected environment only', async () => {
    const run = await runPipeline(repo, ['--list-json'], pipelineVariables(moto, SECRET), moto);
    expect(run.exitCode, run.output).toBe(0);
    const jobs = Object.fromEntries((JSON.parse(run.output.slice(run.output.indexOf('['))) as { name: string; when: string }[]).map((j) => [j.name, j.when]));
    expect(jobs['validate']).toBe('on_success');
    expect(jobs['tflint']).toBe('on_success');
    expect(jobs['checkov']).toBe('on_success');
    expect(jobs['plan:environments: [dev]']).toBe('on_success');
    expect(jobs['apply:environments: [dev]']).toBe('manual');
    expect(jobs['plan:environments: [prod]']).toBe('never');
    expect(jobs['apply:environments: [prod]']).toBe('never');
    expect(jobs['drift:environments: [dev]']).toBe('never');
  });

  it('validates, plans dev into an encrypted artifact and applies exactly that plan by hand', async () => {
    const run = await runPipeline(repo, ['--manual', 'apply:environments: [dev]'], pipelineVariables(moto, SECRET, ONLY_MARKER), moto);
    expect(run.exitCode, run.output).toBe(0);
    expect(results(run)).toEqual({
      validate: 'PASS',
      tflint: 'PASS',
      checkov: 'PASS',
      'plan:environments: [dev]': 'PASS',
      'apply:environments: [dev]': 'PASS',
    });
    expect(run.output).toMatch(/test modules\/network[\s\S]*Success! \d+ passed, 0 failed\./);
    expect(run.output).toContain('tofu fmt -check -diff -recursive');
    expect(run.output).toMatch(/validate environments\/prod[\s\S]*Success! The configuration is valid/);
    expect(run.output).toMatch(/plan:environments: \[dev\][^\n]*Plan: 1 to add, 0 to change, 0 to destroy\./);
    // The artifact is the encrypted plan (plan encryption is on) and the lock file its init wrote.
    const artifacts = join(repo, '.gitlab-ci-local', 'artifacts');
    const planDir = join(
      artifacts,
      readdirSync(artifacts).find((d) => d.startsWith('plan'))!,
      'environments',
      'dev',
    );
    expect(readdirSync(planDir).sort()).toEqual(['.terraform.lock.hcl', 'plan.tfplan']);
    const plan = readFileSync(join(planDir, 'plan.tfplan'));
    expect(plan.subarray(0, 2).toString()).not.toBe('PK'); // an unencrypted plan is a zip archive
    expect(Object.keys(JSON.parse(plan.toString()))).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
    expect(run.output).toMatch(/apply:environments: \[dev\][^\n]*imported artifacts/);
    expect(run.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect(moto.s3List('acme-tofu-state-dev')).toContain('environments/dev/terraform.tfstate');
    expect(moto.s3List('acme-tofu-state-prod')).toEqual([]);
    expectNoSecret(run);
  });

  it('runs only the drift jobs on a schedule, and they fail where live infrastructure differs from the code', async () => {
    const scheduled = { ...ONLY_MARKER, CI_PIPELINE_SOURCE: 'schedule' };
    const first = await runPipeline(repo, [], pipelineVariables(moto, SECRET, scheduled), moto);
    expect(results(first)).toEqual({ 'drift:environments: [dev]': 'PASS', 'drift:environments: [prod]': 'FAIL' });
    expect(first.output).toContain('DRIFT: environments/prod (prod) no longer matches the code');
    expect(first.exitCode).not.toBe(0);

    setParameter(moto, '/cti-test/dev/drift-marker', 'changed-by-hand');
    const second = await runPipeline(repo, ['drift:environments: [dev]'], pipelineVariables(moto, SECRET, scheduled), moto);
    expect(results(second)).toEqual({ 'drift:environments: [dev]': 'FAIL' });
    expect(second.output).toMatch(/value\s+=\s+\(sensitive value\)|"changed-by-hand" -> "as-in-code"|~ value/);
    expect(second.output).toContain('DRIFT: environments/dev (dev) no longer matches the code');
    expectNoSecret(first);
    expectNoSecret(second);
  });
});
