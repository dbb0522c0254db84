// The generated GitHub workflows, executed: act runs them in host mode against moto for every
// layout, with stand-ins for the remote actions (test/act/actions). A pull request validates, lints
// and plans the environment it changes, and never reaches apply or another environment's secret; a
// push to the default branch plans and applies exactly the uploaded plan of every affected root;
// the scheduled drift workflow passes while live infrastructure matches and fails where it does not.
// Every environment has a marker passphrase (pbkdf2): the step observer records which steps held
// which marker, and act's unmasked log, the job summaries and the state are searched for them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../harness/moto.js';
import { commitChange, prepareActRepo, runAct, setParameter, stateKey, type ActRepo, type ActRun, type Layout, type Target } from '../harness/ci-act.js';

// Plans touch only the test's drift marker (a state-only life): the network module needs more AWS than moto offers.
const ONLY_MARKER = { TF_CLI_ARGS_plan: '-target=aws_ssm_parameter.drift_marker' };
const MARKER = `act-marker-${process.pid}`;

/** Which environment key a step may hold a secret of: its target's, and none outside plan, apply and drift jobs. */
function allowedMarkers(repo: ActRepo, root: string, workspace: string): string[] {
  const target = repo.targets.find((t) => t.root === root && t.workspace === workspace);
  // Every hybrid root reads shared/ through terraform_remote_state: shared's passphrase (one value,
  // under both names) decrypts it; its CI policy grants no write to shared's state.
  const shared = repo.secrets.SHARED_STATE_PASSPHRASE ? ['SHARED_STATE_PASSPHRASE', 'STATE_PASSPHRASE_SHARED'] : [];
  return target ? [`STATE_PASSPHRASE_${target.key}`, ...shared] : [];
}

/**
 * What must hold for any run: no marker value in act's log (unmasked) or in any job summary, and
 * no step holding a marker other than its own environment's. Returns the violations.
 */
function secretViolations(repo: ActRepo, run: ActRun): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(repo.secrets)) {
    if (run.log.includes(value)) found.push(`act's log shows ${name}`);
    if (run.steps.some((s) => s.summary.includes(value))) found.push(`a job summary shows ${name}`);
  }
  for (const s of run.steps) {
    const allowed = ['plan', 'apply', 'drift'].includes(s.job) ? allowedMarkers(repo, s.root, s.workspace) : [];
    const foreign = s.markers.filter((m) => !allowed.includes(m));
    if (foreign.length) found.push(`a ${s.job} step of ${s.root || 'the repository'}${s.workspace ? ` (${s.workspace})` : ''} held ${foreign.join(', ')}`);
  }
  return found;
}

/** What must hold for a pull request: the checks above, and no apply or drift step at all. */
function pullRequestViolations(repo: ActRepo, run: ActRun): string[] {
  const reached = run.steps.filter((s) => s.job === 'apply' || s.job === 'drift').map((s) => `a pull request ran the ${s.job} job of ${s.root}`);
  return [...secretViolations(repo, run), ...new Set(reached)];
}

const jobsOf = (run: ActRun) => [...new Set(run.steps.map((s) => s.job))].sort();
const targetsOf = (run: ActRun, job: string) =>
  [...new Set(run.steps.filter((s) => s.job === job).map((s) => `${s.root}${s.workspace ? `:${s.workspace}` : ''}`))].sort();
const label = (t: Target) => `${t.root}${t.workspace ? `:${t.workspace}` : ''}`;

/** The file a change to one environment touches: its root, or its values file in the workspace layout. */
const devFile = (t: Target) => (t.workspace ? `${t.root}/environments/${t.environment}.tfvars` : `${t.root}/main.tf`);

const timings: string[] = [];
afterAll(() => console.log(`act runs:\n${timings.join('\n')}`));

describe.each<Layout>(['directory', 'hybrid', 'workspace'])('%s layout: the GitHub workflows run by act against moto', (layout) => {
  let moto: Moto;
  let repo: ActRepo;
  let dev: Target;
  let prHead: string;
  let pushHead: string;
  let pullRequest: ActRun | undefined;

  const time = (what: string, run: ActRun) => timings.push(`  ${layout.padEnd(9)} ${what.padEnd(30)} ${run.seconds.toFixed(0)}s`);

  beforeAll(async () => {
    moto = await startMoto();
    repo = await prepareActRepo(layout, moto, MARKER);
    dev = repo.targets.find((t) => t.environment === 'dev')!;
    prHead = await commitChange(repo, devFile(dev), '# a change to dev only', 'change dev');
    pushHead = await commitChange(repo, 'modules/network/main.tf', '# a change to a shared module', 'change the network module');
  });
  afterAll(async () => moto?.stop());

  it('pull_request: validates, lints and plans the changed environment only, never applies, holds only its own secret', async () => {
    const run = await runAct(repo, moto, { workflow: 'tofu.yml', event: 'pull_request', base: repo.base, head: prHead, env: ONLY_MARKER });
    pullRequest = run;
    time('pull_request', run);
    expect(run.exitCode, run.log).toBe(0);
    expect(jobsOf(run)).toEqual(['affected', 'lint', 'plan', 'validate']);
    expect(targetsOf(run, 'plan')).toEqual([label(dev)]);
    expect(run.log).toMatch(/tofu test in every module[\s\S]*Success/);
    expect(run.log).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    // The log lists addresses and actions, never the plan's values (the parameter's name is one).
    expect(run.log).toContain('# aws_ssm_parameter.drift_marker will be created');
    expect(run.log).not.toContain('/cti-test/');
    // The plan job did get its own environment's passphrase (so the check above is not vacuous).
    expect(run.steps.some((s) => s.job === 'plan' && s.markers.includes(`STATE_PASSPHRASE_${dev.key}`))).toBe(repo.readsSecrets);
    expect(pullRequestViolations(repo, run)).toEqual([]);
    // The uploaded plan is encrypted (an unencrypted plan is a zip archive) and holds no marker.
    const artifact = join(run.artifacts, `tofu-plan-${dev.id}`);
    const planFile = readdirSync(artifact).find((f) => f.endsWith('.tfplan'))!;
    const plan = readFileSync(join(artifact, planFile));
    expect(plan.subarray(0, 2).toString()).not.toBe('PK');
    expect(Object.keys(JSON.parse(plan.toString()))).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
    for (const value of Object.values(repo.secrets)) expect(plan.includes(value)).toBe(false);
  });

  it('pull_request: the job summary names resources and actions, never attribute values of the plan', async () => {
    if (!pullRequest) throw new Error('the pull_request run did not happen');
    const summaries = pullRequest.steps.filter((s) => s.job === 'plan').map((s) => s.summary);
    expect(summaries.join('')).toContain('- `aws_ssm_parameter.drift_marker`: create');
    for (const summary of summaries) expect(summary).not.toContain('/cti-test/');
  });

  it('push to the default branch: plans every affected root and applies exactly that plan', async () => {
    const run = await runAct(repo, moto, { workflow: 'tofu.yml', event: 'push', base: repo.base, head: pushHead, env: ONLY_MARKER });
    time('push', run);
    expect(run.exitCode, run.log).toBe(0);
    expect(jobsOf(run)).toEqual(['affected', 'apply', 'lint', 'plan', 'validate']);
    expect(targetsOf(run, 'plan')).toEqual(repo.targets.map(label).sort());
    expect(targetsOf(run, 'apply')).toEqual(repo.targets.map(label).sort());
    expect(run.log.match(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./g)).toHaveLength(repo.targets.length);
    expect(secretViolations(repo, run)).toEqual([]);
    for (const t of repo.targets) {
      const { bucket, key } = stateKey(repo, t);
      const state = moto.s3Get(bucket, key);
      expect(state, `s3://${bucket}/${key}`).toBeDefined();
      expect(Object.keys(JSON.parse(state!))).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
      for (const value of Object.values(repo.secrets)) expect(state).not.toContain(value);
    }
  });

  it('schedule: the drift workflow passes while live matches the code and fails where it does not', async () => {
    const clean = await runAct(repo, moto, { workflow: 'tofu-drift.yml', event: 'schedule', head: pushHead, env: ONLY_MARKER });
    time('schedule (no drift)', clean);
    expect(clean.exitCode, clean.log).toBe(0);
    expect(targetsOf(clean, 'drift')).toEqual(repo.targets.map(label).sort());
    expect(secretViolations(repo, clean)).toEqual([]);

    await setParameter(moto, '/cti-test/dev/drift-marker', 'changed-by-hand');
    const drifted = await runAct(repo, moto, { workflow: 'tofu-drift.yml', event: 'schedule', head: pushHead, env: ONLY_MARKER });
    time('schedule (drift in dev)', drifted);
    expect(drifted.exitCode).not.toBe(0);
    expect(drifted.log).toContain(`::error title=Drift in ${dev.id}::`);
    expect(drifted.log).toContain('# aws_ssm_parameter.drift_marker will be updated in-place');
    expect(drifted.log).not.toContain('changed-by-hand');
    const summaries = drifted.steps.filter((s) => s.job === 'drift').map((s) => s.summary);
    expect(summaries.filter((s) => s.includes('### Drift in'))).toEqual([`### Drift in ${dev.id}: live infrastructure differs from the code\n`]);
    expect(secretViolations(repo, drifted)).toEqual([]);
  });

  if (layout === 'directory') {
    it('negative controls: a wrong role ARN, a role the job may not assume, a leaking step and a pull request reaching apply all fail', async () => {
      const pr = { workflow: 'tofu.yml', event: 'pull_request' as const, base: repo.base, head: prHead, env: ONLY_MARKER };
      const planRole = `AWS_PLAN_ROLE_ARN_${dev.key}`;

      const wrongArn = await runAct(repo, moto, { ...pr, vars: { ...repo.vars, [planRole]: repo.vars[planRole]!.replace(/role\/.*/, 'role/no-such-role') } });
      time('negative: wrong role ARN', wrongArn);
      expect(wrongArn.exitCode).not.toBe(0);
      expect(wrongArn.log).toContain('configure-aws-credentials stand-in: no role');

      const applyRole = await runAct(repo, moto, { ...pr, vars: { ...repo.vars, [planRole]: repo.vars[`AWS_APPLY_ROLE_ARN_${dev.key}`]! } });
      time('negative: apply role in a plan job', applyRole);
      expect(applyRole.exitCode).not.toBe(0);
      expect(applyRole.log).toContain(`does not trust repo:acme-org/acme:environment:${dev.environment}-plan`);

      // A step that prints the passphrase, which the log check finds (act runs with --insecure-secrets),
      // and a pull request asking tofu-root.yml to apply: its default-branch guard skips the apply job.
      // TOFU_PLAN_LOG=full prints the whole plan: the log check above does see a plan's values.
      const asking = await runAct(repo, moto, {
        ...pr,
        vars: { ...repo.vars, TOFU_PLAN_LOG: 'full' },
        edit: (clone) => {
          sabotage(clone, 'tofu-root.yml', /( +- id: plan\n(?: .*\n)*? +run: \|\n)/, '$1          echo "$TF_VAR_state_passphrase"\n');
          sabotage(clone, 'tofu.yml', /^( +apply:) .*$/m, '$1 true');
        },
      });
      time('negative: leaking PR asking to apply', asking);
      expect(pullRequestViolations(repo, asking)).toEqual([`act's log shows STATE_PASSPHRASE_${dev.key}`]);
      expect(asking.log).toContain('/cti-test/dev/drift-marker');

      // Without that guard the apply job runs (the observer records it) and its environment, open to
      // the default branch only, refuses the pull request's ref.
      const applying = await runAct(repo, moto, {
        ...pr,
        edit: (clone) => {
          sabotage(clone, 'tofu.yml', /^( +apply:) .*$/m, '$1 true');
          sabotage(clone, 'tofu-root.yml', " && github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}", ' }}');
        },
      });
      time('negative: PR reaching apply', applying);
      expect(pullRequestViolations(repo, applying)).toContain(`a pull request ran the apply job of ${dev.root}`);
      expect(applying.exitCode).not.toBe(0);
      expect(applying.log).toContain(`environment ${dev.environment} accepts deployments from refs/heads/main only, not refs/pull/`);
    });
  }
});

/** Replaces one text in a workflow of the clone, failing when it is not there (the template changed). */
function sabotage(clone: string, workflow: string, from: string | RegExp, to: string): void {
  const file = join(clone, '.github', 'workflows', workflow);
  const text = readFileSync(file, 'utf8');
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text))
    throw new Error(`${workflow} no longer contains ${String(from)}: update the negative control`);
  writeFileSync(file, text.replace(from, to));
}
