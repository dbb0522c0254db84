// The generated .gitlab-ci.yml, executed for every layout: gitlab-ci-local runs its jobs with the
// shell executor against moto, the way GitLab would on the default branch. A change to one
// environment plans only that environment; validate, plan and the manual apply of exactly the saved
// plan succeed; the scheduled drift jobs fail where live infrastructure differs from the code.
// gitlab-ci-local issues no ID token, so each environment gets a test-made one (GitLab's claims for
// this project's default branch), scoped to it like the role ARN variables bootstrap prints: every
// plan and drift job assumes its environment's plan role and every apply job its apply role, as moto's
// STS sessions show, and no job prints a token or the session's keys. Without a token a job fails.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold, tofuOk } from '../harness/generated.js';
import { startMoto, type Moto, type MotoSession } from '../harness/moto.js';
import { trustAllows } from '../harness/iam-policy.js';
import { offlineTflintConfig } from '../harness/quality.js';
import { setParameter, type Layout } from '../harness/ci-act.js';
import {
  backendSettings,
  bootstrapAgainstMoto,
  commitAll,
  createWorkspaces,
  git,
  gitlabIdToken,
  pipelineVariables,
  pointRootAtMoto,
  runPipeline,
  scopedVariables,
  type PipelineRun,
} from '../harness/ci-gitlab-local.js';

const GITLAB = { host: 'gitlab.com', project: 'acme/infra', audience: 'https://gitlab.com' };
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

/** The line `.aws:oidc` prints in each job that assumes a role, by job name: the role ARN and the session name. */
function printedSessions(run: PipelineRun): Record<string, { role: string; session: string }> {
  return Object.fromEntries(
    [...run.output.matchAll(/^(\S.*?)\s+>\s+AWS: (\S+) by web identity, session (\S+)\s*$/gm)].map(([, job, role, session]) => [
      job!,
      { role: role!, session: session! },
    ]),
  );
}

describe.each<Layout>(['directory', 'hybrid', 'workspace'])('%s layout, S3 + aws_kms: the GitLab pipeline run by gitlab-ci-local against moto', (layout) => {
  const shape = SHAPES[layout];
  const envs = Object.keys(shape.jobs);
  // Each environment's ID token, as GitLab would issue it to a job of the default branch in that environment.
  const tokens = Object.fromEntries(envs.map((env) => [env, gitlabIdToken({ ...GITLAB, ref: 'main', environment: env })]));
  let moto: Moto;
  let repo: string;
  /** bootstrap's GitLab roles: environment => plan and apply role ARNs. */
  let roles: Record<string, { plan: string; apply: string }>;

  function expectNoSecret(run: PipelineRun, sessions: MotoSession[] = []): void {
    const secrets = [...Object.values(tokens).map((t) => t.token), ...sessions.flatMap((s) => [s.secretAccessKey, s.sessionToken])];
    for (const value of secrets) {
      expect(run.output).not.toContain(value);
      expect(run.logs).not.toContain(value);
    }
  }

  /**
   * Runs the pipeline and proves which role each job ran as: the role and session every job printed
   * are `expected`'s, and moto's STS sessions opened during the run are exactly those sessions, each
   * of the role its job printed (so the provider, backend and key provider of a job assumed no other).
   * Each role is bootstrap's and its trust policy lets the job's token assume it.
   */
  async function runAs(
    args: string[],
    variables: Record<string, string>,
    expected: Record<string, 'plan' | 'apply'>,
  ): Promise<{ run: PipelineRun; sessions: MotoSession[] }> {
    const before = new Set((await moto.assumedRoles()).map((s) => s.accessKeyId));
    const run = await runPipeline(repo, args, variables, moto);
    const sessions = (await moto.assumedRoles()).filter((s) => !before.has(s.accessKeyId));
    const envOf = (job: string) => envs.find((env) => job.endsWith(`:${shape.jobs[env]}`))!;
    const printed = printedSessions(run);
    expect(Object.fromEntries(Object.entries(printed).map(([job, s]) => [job, s.role])), run.output).toEqual(
      Object.fromEntries(Object.entries(expected).map(([job, role]) => [job, roles[envOf(job)]![role]])),
    );
    expect(new Set(sessions.map((s) => s.sessionName))).toEqual(new Set(Object.values(printed).map((s) => s.session)));
    for (const s of sessions) expect(s.roleArn, s.sessionName).toBe(Object.values(printed).find((p) => p.session === s.sessionName)!.role);
    const iam = moto.iam();
    const provider = iam.providers.find((p) => p.url.includes(GITLAB.host))!.arn;
    for (const [job, s] of Object.entries(printed)) {
      const { claims } = tokens[envOf(job)]!;
      const trust = iam.roles.find((r) => r.arn === s.role)?.trust;
      expect(trust, `${s.role} exists`).toBeDefined();
      expect(
        trustAllows(trust!, provider, { [`${GITLAB.host}:aud`]: String(claims.aud), [`${GITLAB.host}:sub`]: String(claims.sub) }),
        `${s.role} trusts ${job}'s token`,
      ).toBe(true);
    }
    expectNoSecret(run, sessions);
    return { run, sessions };
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
      '--gitlab-project',
      GITLAB.project,
    ]);
    await bootstrapAgainstMoto(repo, moto);
    roles = (JSON.parse(await tofuOk(join(repo, 'bootstrap'), ['output', '-json', 'ci_role_arns'], moto.env)) as { gitlab: typeof roles }).gitlab;
    for (const root of new Set(shape.roots.map((r) => r.root))) {
      const first = shape.roots.find((r) => r.root === root)!;
      // The providers too take the job's credentials: the role its ID token assumed.
      await pointRootAtMoto(join(repo, root), moto, backendSettings(join(repo, root)), first.workspace ? '${terraform.workspace}' : first.env, {
        keys: 'ambient',
      });
    }
    if (layout === 'workspace')
      await createWorkspaces(
        repo,
        moto,
        shape.roots.map((r) => ({ root: r.root, workspace: r.workspace! })),
      );
    // What the README has a team set, scoped to each environment as bootstrap's ci_setup says; the
    // token stands in for the one GitLab issues the job (id_tokens), which carries its environment.
    scopedVariables(repo, {
      AWS_ID_TOKEN: Object.fromEntries(envs.map((env) => [env, tokens[env]!.token])),
      AWS_PLAN_ROLE_ARN: Object.fromEntries(envs.map((env) => [env, roles[env]!.plan])),
      AWS_APPLY_ROLE_ARN: Object.fromEntries(envs.map((env) => [env, roles[env]!.apply])),
    });
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

  it('validates, plans dev as its plan role into an encrypted artifact and applies exactly that plan by hand as its apply role', async () => {
    const { run } = await runAs(['--manual', `apply:${shape.jobs.dev}`], pipelineVariables(moto, ONLY_MARKER), {
      [`plan:${shape.jobs.dev}`]: 'plan',
      [`apply:${shape.jobs.dev}`]: 'apply',
    });
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
  });

  it('runs only the drift jobs on a schedule, and they fail where live infrastructure differs from the code', async () => {
    const scheduled = { ...ONLY_MARKER, CI_PIPELINE_SOURCE: 'schedule' };
    const { run: first } = await runAs([], pipelineVariables(moto, scheduled), Object.fromEntries(envs.map((env) => [`drift:${shape.jobs[env]}`, 'plan'])));
    // dev was applied above; every other environment was never applied, so its marker is missing.
    expect(results(first)).toEqual(Object.fromEntries(envs.map((env) => [`drift:${shape.jobs[env]}`, env === 'dev' ? 'PASS' : 'FAIL'])));
    expect(first.output).toMatch(/DRIFT: \S+ \(prod\) no longer matches the code/);
    expect(first.exitCode).not.toBe(0);

    // Addresses and actions only: the refresh of dev's marker, which names it, stays out of the log.
    expect(first.output).not.toContain('/cti-test/');

    await setParameter(moto, '/cti-test/dev/drift-marker', 'changed-by-hand');
    // TOFU_PLAN_LOG=full prints whole plans: the control that the check above can see a plan's text.
    const { run: second } = await runAs([`drift:${shape.jobs.dev}`], pipelineVariables(moto, { ...scheduled, TOFU_PLAN_LOG: 'full' }), {
      [`drift:${shape.jobs.dev}`]: 'plan',
    });
    expect(results(second)).toEqual({ [`drift:${shape.jobs.dev}`]: 'FAIL' });
    expect(second.output).toContain('# aws_ssm_parameter.drift_marker will be updated in-place');
    expect(second.output).toContain('/cti-test/dev/drift-marker');
    expect(second.output).toMatch(/value\s+=\s+\(sensitive value\)|"changed-by-hand" -> "as-in-code"|~ value/);
    expect(second.output).toMatch(/DRIFT: \S+ \(dev\) no longer matches the code/);
  });

  // The control of the ID token: without it a job never reaches AWS as anything (no fallback to the
  // runner's own identity). One layout is enough: .aws:oidc is the same in every one.
  it.runIf(layout === 'directory')('fails a plan job that has no ID token, saying so, before any AWS call', async () => {
    const before = (await moto.assumedRoles()).length;
    const run = await runPipeline(repo, [`plan:${shape.jobs.dev}`, '--unset-variable', 'AWS_ID_TOKEN'], pipelineVariables(moto, ONLY_MARKER), moto);
    expect(results(run), run.output).toEqual({ [`plan:${shape.jobs.dev}`]: 'FAIL' });
    expect(run.output).toContain("No GitLab ID token in AWS_ID_TOKEN: this job reaches AWS only by assuming its environment's role with one (id_tokens).");
    expect(run.output).not.toContain('tofu -chdir');
    expect(await moto.assumedRoles()).toHaveLength(before);
  });
});
