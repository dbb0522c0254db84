// The generated .gitlab-ci.yml, executed for every layout: gitlab-ci-local runs its jobs with the
// shell executor against moto, the way GitLab would on the default branch. A change to one
// environment plans only that environment; validate, plan and the manual apply of exactly the saved
// plan succeed; each environment's secret key is a marker scoped to that environment, and no job
// prints any of them; the scheduled drift jobs fail where live infrastructure differs from the code.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold } from '../harness/generated.js';
import { startMoto, type Moto } from '../harness/moto.js';
import { offlineTflintConfig } from '../harness/quality.js';
import { setParameter, type Layout } from '../harness/ci-act.js';
import {
  backendSettings,
  bootstrapAgainstMoto,
  commitAll,
  createWorkspaces,
  git,
  pipelineVariables,
  pointRootAtMoto,
  runPipeline,
  scopedVariables,
  type PipelineRun,
} from '../harness/ci-gitlab-local.js';

const MARKER = `marked-secret-${process.pid}-do-not-print`;
// Plans touch only the test's drift marker: the network module needs more AWS than moto offers.
const ONLY_MARKER = { TF_CLI_ARGS_plan: '-target=aws_ssm_parameter.drift_marker' };

/** One layout's roots and job names: the generated pipeline names a fan-out job `<job>:<first path segment>: [<matrix values>]`. */
interface Shape {
  /** Root directories to point at moto, with the environment of their drift marker. */
  roots: { root: string; env: string; workspace?: string }[];
  /** The file a change to dev alone touches. */
  devFile: string;
  /** Job names by environment (after matrix expansion). */
  jobs: Record<string, string>;
  /** The state object of dev (bucket, key). */
  devState: (repo: string) => { bucket: string; key: string };
}

const key = (repo: string, root: string, workspace?: string) => {
  const s = backendSettings(join(repo, root));
  return { bucket: String(s.bucket), key: workspace ? `env:/${workspace}/${String(s.key)}` : String(s.key) };
};

const SHAPES: Record<Layout, Shape> = {
  directory: {
    roots: ['dev', 'prod'].map((env) => ({ root: `environments/${env}`, env })),
    devFile: 'environments/dev/main.tf',
    jobs: { dev: 'environments: [dev]', prod: 'environments: [prod]' },
    devState: (repo) => key(repo, 'environments/dev'),
  },
  hybrid: {
    roots: [{ root: 'shared', env: 'shared' }, ...['dev', 'prod'].map((env) => ({ root: `services/app/envs/${env}`, env }))],
    devFile: 'services/app/envs/dev/main.tf',
    jobs: { shared: 'shared: [shared]', dev: 'services: [app,dev]', prod: 'services: [app,prod]' },
    devState: (repo) => key(repo, 'services/app/envs/dev'),
  },
  workspace: {
    roots: ['dev', 'prod'].map((env) => ({ root: 'infra', env, workspace: env })),
    devFile: 'infra/environments/dev.tfvars',
    jobs: { dev: 'infra: [dev]', prod: 'infra: [prod]' },
    devState: (repo) => key(repo, 'infra', 'dev'),
  },
};

/** PASS/FAIL lines gitlab-ci-local prints at the end, by job name. */
function results(run: PipelineRun): Record<string, string> {
  return Object.fromEntries([...run.output.matchAll(/^\s*(PASS|FAIL)\s+(.+?)\s*$/gm)].map(([, status, job]) => [job!, status!]));
}

describe.each<Layout>(['directory', 'hybrid', 'workspace'])('%s layout, S3 + aws_kms: the GitLab pipeline run by gitlab-ci-local against moto', (layout) => {
  const shape = SHAPES[layout];
  const envs = Object.keys(shape.jobs);
  const secrets = Object.fromEntries(envs.map((env) => [env, `${MARKER}-${env}`]));
  let moto: Moto;
  let repo: string;

  function expectNoSecret(run: PipelineRun): void {
    for (const value of Object.values(secrets)) {
      expect(run.output).not.toContain(value);
      expect(run.logs).not.toContain(value);
    }
  }

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold([
      '--name',
      'acme',
      '--layout',
      layout,
      '--envs',
      'dev,prod',
      '--modules',
      layout === 'hybrid' ? 'network,database,application' : 'network',
      '--ci',
      'gitlab',
    ]);
    await bootstrapAgainstMoto(repo, moto);
    for (const root of new Set(shape.roots.map((r) => r.root))) {
      const first = shape.roots.find((r) => r.root === root)!;
      await pointRootAtMoto(join(repo, root), moto, backendSettings(join(repo, root)), first.workspace ? '${terraform.workspace}' : first.env);
    }
    if (layout === 'workspace')
      await createWorkspaces(
        repo,
        moto,
        shape.roots.map((r) => ({ root: r.root, workspace: r.workspace! })),
      );
    // Each environment's secret key is its own marker, scoped to that environment as GitLab scopes it.
    scopedVariables(repo, { AWS_SECRET_ACCESS_KEY: secrets });
    // Test-only: the aws tflint ruleset cannot be downloaded here (see test/harness/quality.ts).
    offlineTflintConfig(repo);
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await commitAll(repo, 'scaffold');
    // What the default branch held before this push: rules:changes compares with it.
    await git(repo, ['update-ref', 'refs/remotes/origin/main', 'HEAD']);
    appendFileSync(join(repo, shape.devFile), '\n# a change to dev only\n');
    await commitAll(repo, 'change dev');
  });
  afterAll(async () => moto?.stop());

  it('lists validate, and plan and a manual apply for the affected environment only', async () => {
    const run = await runPipeline(repo, ['--list-json'], pipelineVariables(moto), moto);
    expect(run.exitCode, run.output).toBe(0);
    const jobs = Object.fromEntries((JSON.parse(run.output.slice(run.output.indexOf('['))) as { name: string; when: string }[]).map((j) => [j.name, j.when]));
    expect(jobs['validate']).toBe('on_success');
    expect(jobs['tflint']).toBe('on_success');
    expect(jobs['checkov']).toBe('on_success');
    for (const env of envs) {
      expect(jobs[`plan:${shape.jobs[env]}`], env).toBe(env === 'dev' ? 'on_success' : 'never');
      expect(jobs[`apply:${shape.jobs[env]}`], env).toBe(env === 'dev' ? 'manual' : 'never');
      expect(jobs[`drift:${shape.jobs[env]}`], env).toBe('never');
    }
  });

  it('validates, plans dev into an encrypted artifact and applies exactly that plan by hand', async () => {
    const run = await runPipeline(repo, ['--manual', `apply:${shape.jobs.dev}`], pipelineVariables(moto, ONLY_MARKER), moto);
    expect(run.exitCode, run.output).toBe(0);
    expect(results(run)).toEqual({
      validate: 'PASS',
      tflint: 'PASS',
      checkov: 'PASS',
      [`plan:${shape.jobs.dev}`]: 'PASS',
      [`apply:${shape.jobs.dev}`]: 'PASS',
    });
    expect(run.output).toMatch(/test modules\/network[\s\S]*Success! \d+ passed, 0 failed\./);
    expect(run.output).toContain('tofu fmt -check -diff -recursive');
    expect(run.output).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    // The log lists addresses and actions, not the plan's values (the parameter's name is one).
    expect(run.output).toContain('# aws_ssm_parameter.drift_marker will be created');
    expect(run.output).not.toMatch(/name\s+= "\/cti-test\//);
    // The artifact is the encrypted plan (plan encryption is on) and the lock file its init wrote.
    const artifacts = join(repo, '.gitlab-ci-local', 'artifacts');
    const planRoot = join(
      artifacts,
      readdirSync(artifacts).find((d) => d.startsWith('plan'))!,
    );
    const root = shape.devFile.replace(/\/(main\.tf|environments\/dev\.tfvars)$/, '');
    const files = readdirSync(join(planRoot, root)).sort();
    const planFile = files.find((f) => f.endsWith('.tfplan'))!;
    expect(files).toEqual(['.terraform.lock.hcl', planFile]);
    const plan = readFileSync(join(planRoot, root, planFile));
    expect(plan.subarray(0, 2).toString()).not.toBe('PK'); // an unencrypted plan is a zip archive
    expect(Object.keys(JSON.parse(plan.toString()))).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
    expect(run.output).toMatch(/apply:[^\n]*imported artifacts/);
    expect(run.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    const state = shape.devState(repo);
    expect(moto.s3List(state.bucket)).toContain(state.key);
    expectNoSecret(run);
  });

  it('runs only the drift jobs on a schedule, and they fail where live infrastructure differs from the code', async () => {
    const scheduled = { ...ONLY_MARKER, CI_PIPELINE_SOURCE: 'schedule' };
    const first = await runPipeline(repo, [], pipelineVariables(moto, scheduled), moto);
    // dev was applied above; every other environment was never applied, so its marker is missing.
    expect(results(first)).toEqual(Object.fromEntries(envs.map((env) => [`drift:${shape.jobs[env]}`, env === 'dev' ? 'PASS' : 'FAIL'])));
    expect(first.output).toMatch(/DRIFT: \S+ \(prod\) no longer matches the code/);
    expect(first.exitCode).not.toBe(0);

    // Addresses and actions only: the refresh of dev's marker, which names it, stays out of the log.
    expect(first.output).not.toContain('/cti-test/');

    await setParameter(moto, '/cti-test/dev/drift-marker', 'changed-by-hand');
    // TOFU_PLAN_LOG=full prints whole plans: the control that the check above can see a plan's text.
    const second = await runPipeline(repo, [`drift:${shape.jobs.dev}`], pipelineVariables(moto, { ...scheduled, TOFU_PLAN_LOG: 'full' }), moto);
    expect(results(second)).toEqual({ [`drift:${shape.jobs.dev}`]: 'FAIL' });
    expect(second.output).toContain('# aws_ssm_parameter.drift_marker will be updated in-place');
    expect(second.output).toContain('/cti-test/dev/drift-marker');
    expect(second.output).toMatch(/value\s+=\s+\(sensitive value\)|"changed-by-hand" -> "as-in-code"|~ value/);
    expect(second.output).toMatch(/DRIFT: \S+ \(dev\) no longer matches the code/);
    expectNoSecret(first);
    expectNoSecret(second);
  });
});
