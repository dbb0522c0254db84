// What the generated pipelines promise, for every layout and the credential kinds that change them:
// each planned root and environment has a plan, a manual default-branch apply of exactly that plan
// and a scheduled drift check; validate needs no credentials; no job prints a secret; pins come
// from CI_PINS. Executing them is the e2e tests' job (ci-tools, ci-gitlab-local, ci-github-affected).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CI_PINS, PLAN_RETENTION } from '../../packages/create-tofu-infra/src/features/ci/data.js';
import { ciVariables } from '../../packages/create-tofu-infra/src/features/ci/credentials.js';
import { rootsOf, type RawChoices, type Spec } from '../../packages/create-tofu-infra/src/index.js';
import { ciFiles, expand, gitlabJobs, scriptOf, specOf, yamlOf, type JobInstance, type Yaml } from '../harness/ci-pipelines.js';

const VARIANTS: { title: string; choices: RawChoices }[] = [
  { title: 'directory, s3 + aws_kms', choices: { layout: 'directory', envs: 'dev,pre-prod,prod' } },
  { title: 'workspace, s3 + pbkdf2', choices: { layout: 'workspace', envs: 'dev,prod', keyProvider: 'pbkdf2' } },
  { title: 'hybrid, s3 + openbao, two services', choices: { layout: 'hybrid', envs: 'dev,prod', services: 'app,api', keyProvider: 'openbao' } },
  { title: 'directory, GitLab http state + pbkdf2', choices: { layout: 'directory', envs: 'dev,prod', backend: 'http', keyProvider: 'pbkdf2' } },
  { title: 'hybrid, gcs + gcp_kms', choices: { layout: 'hybrid', envs: 'dev', backend: 'gcs', keyProvider: 'gcp_kms' } },
  { title: 'workspace, local state, no encryption', choices: { layout: 'workspace', envs: 'dev', backend: 'local', keyProvider: 'none' } },
];

interface Expected {
  root: string;
  env: string;
  workspace: string;
  planFile: string;
}

/** What must be planned: every root but bootstrap (applied by hand), per environment in the workspace layout. */
function expectedTargets(spec: Spec): Expected[] {
  return rootsOf(spec)
    .filter((r) => r.kind !== 'bootstrap')
    .flatMap((r) =>
      r.kind === 'workspace'
        ? spec.envs.map((env) => ({ root: r.path, env, workspace: env, planFile: `${env}.tfplan` }))
        : [{ root: r.path, env: r.stateEnv!, workspace: '', planFile: 'plan.tfplan' }],
    );
}

const SECRET_PRINTERS = [/\bset\s+-[a-z]*x/, /\bprintenv\b/, /(^|[\s;|&])env(\s*$|\s*[|;>])/m, /\bexport\s+-p\b/, /\bdeclare\s+-p\b/];

function expectNothingPrintsSecrets(script: string, secrets: string[], where: string) {
  for (const re of SECRET_PRINTERS) expect(script, `${where} must not dump its environment`).not.toMatch(re);
  for (const name of secrets) expect(script, `${where} must not read $${name}`).not.toMatch(new RegExp(`\\$\\{?${name}\\b`));
}

/** The instance of `job` (plan:..., apply:..., drift:...) whose root and environment are the target's. */
function instanceFor(jobs: JobInstance[], prefix: string, t: Expected): JobInstance {
  const found = jobs.filter((j) => j.job.startsWith(`${prefix}:`) && expand(j.def.variables.TF_ROOT, j.matrix) === t.root && j.matrix.TOFU_ENV === t.env);
  expect(
    found.map((j) => j.name),
    `${prefix} job for ${t.root} (${t.env})`,
  ).toHaveLength(1);
  return found[0]!;
}

/** The one rule selecting this matrix instance (it names each of its matrix values). */
function rulesFor(j: JobInstance): Yaml[] {
  return (j.def.rules as Yaml[]).filter((r) => r.if && Object.entries(j.matrix).every(([k, v]) => (r.if as string).includes(`$${k} == "${v}"`)));
}

describe.each(VARIANTS)('GitLab CI: $title', ({ choices }) => {
  const spec = specOf({ ...choices, ci: 'gitlab' });
  const files = ciFiles(spec);
  const doc = yamlOf(files.get('.gitlab-ci.yml'), '.gitlab-ci.yml');
  const jobs = gitlabJobs(doc);
  const targets = expectedTargets(spec);
  const secrets = ciVariables(spec)
    .filter((v) => v.secret)
    .map((v) => v.name);

  it('writes only .gitlab-ci.yml, on the pinned image', () => {
    expect([...files.keys()]).toEqual(['.gitlab-ci.yml']);
    expect(doc.default.image).toEqual({ name: CI_PINS.tofuImage, entrypoint: [''] });
    expect(doc.stages).toEqual(['validate', 'plan', 'apply']);
  });

  it('validates every root, bootstrap included, with fmt, init -backend=false and validate, and no credentials', () => {
    const validate = jobs.find((j) => j.name === 'validate')!;
    const script = scriptOf(validate.def);
    expect(script).toContain('tofu fmt -check');
    expect(script).toContain('init -backend=false');
    expect(script).toMatch(/tofu -chdir="\$root" validate/);
    for (const root of rootsOf(spec)) expect(script).toContain(` ${root.path}`);
    expect(validate.def.environment).toBeUndefined();
    expect(validate.def.extends).toBeUndefined();
    expect(Object.keys(validate.def.variables)).toEqual(['TF_PLUGIN_CACHE_DIR']);
  });

  it('plans each root and environment on merge requests and the default branch, when a change affects it', () => {
    const plans = jobs.filter((j) => j.job.startsWith('plan:'));
    expect(plans).toHaveLength(targets.length);
    for (const t of targets) {
      const plan = instanceFor(jobs, 'plan', t);
      expect(expand(plan.def.environment.name, plan.matrix)).toBe(t.env);
      expect(plan.def.environment.action).toBe('prepare');
      expect(expand(plan.def.resource_group, plan.matrix)).toBe(`tofu-${t.env}`);
      expect(expand(plan.def.variables.TOFU_WORKSPACE ?? '', plan.matrix)).toBe(t.workspace);
      expect(expand(plan.def.variables.TF_PLAN, plan.matrix)).toBe(t.planFile);
      expect(scriptOf(plan.def)).toMatch(/set -- -out="\$TF_PLAN"[^\n]*\n[\s\S]*plan -input=false -lock-timeout=5m -no-color "\$@"/);
      expectQuietPlanLog(scriptOf(plan.def));
      if (t.workspace) expect(scriptOf(plan.def)).toContain(`-var-file=environments/$TOFU_ENV.tfvars`);
      expect(plan.def.artifacts.paths.map((p: string) => expand(p, plan.matrix))).toEqual([`${t.root}/${t.planFile}`, `${t.root}/.terraform.lock.hcl`]);
      expect(plan.def.artifacts.expire_in).toBe(PLAN_RETENTION.gitlab);
      expect(plan.def.rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' });
      const [rule, ...more] = rulesFor(plan);
      expect(more).toEqual([]);
      expect(rule!.if).toContain('$CI_PIPELINE_SOURCE == "merge_request_event" || $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
      expect(rule!.when).toBeUndefined();
      const ownFiles = t.workspace ? [`${t.root}/*`, `${t.root}/environments/${t.env}.tfvars`] : [`${t.root}/**/*`];
      expect(rule!.changes).toEqual(expect.arrayContaining([...ownFiles, 'modules/**/*', '.gitlab-ci.yml']));
      // Another environment's files never trigger this plan.
      for (const other of targets.filter((o) => o.root !== t.root)) expect(rule!.changes).not.toContain(`${other.root}/**/*`);
    }
  });

  it('applies exactly the saved plan, by hand, on the default branch only, one environment at a time', () => {
    for (const t of targets) {
      const plan = instanceFor(jobs, 'plan', t);
      const apply = instanceFor(jobs, 'apply', t);
      expect(apply.def.stage).toBe('apply');
      expect(expand(apply.def.environment.name, apply.matrix)).toBe(t.env);
      expect(apply.def.environment.action).toBeUndefined();
      expect(expand(apply.def.resource_group, apply.matrix)).toBe(`tofu-${t.env}`);
      expect(apply.def.interruptible).toBe(false);
      expect(expand(apply.def.variables.TOFU_WORKSPACE ?? '', apply.matrix)).toBe(t.workspace);
      const rules = (apply.def.rules as Yaml[]).filter((r) => r.when !== 'never');
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) {
        expect(r.when).toBe('manual');
        expect(r.if).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
        expect(r.if).not.toContain('merge_request_event');
      }
      // Same changes as its plan: the two jobs always exist together.
      expect(rulesFor(apply).map((r) => r.changes)).toEqual(rulesFor(plan).map((r) => r.changes));
      // 1:1 with its own plan job through matrix expressions.
      expect(apply.def.needs).toEqual([
        { job: plan.job, artifacts: true, parallel: { matrix: [Object.fromEntries(Object.keys(plan.matrix).map((k) => [k, [`$[[ matrix.${k} ]]`]]))] } },
      ]);
      const script = scriptOf(apply.def);
      expect(script).toContain('apply -input=false -lock-timeout=5m "$TF_PLAN"');
      expect(script).not.toContain('-auto-approve');
      expect(script).not.toMatch(/\bplan\b.*-out/);
    }
  });

  it('checks every root for drift on schedules only, failing when tofu plan -detailed-exitcode says 2', () => {
    for (const t of targets) {
      const drift = instanceFor(jobs, 'drift', t);
      expect(drift.def.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
      const script = scriptOf(drift.def);
      expect(script).toContain('set -- -detailed-exitcode');
      expectQuietPlanLog(script);
      expect(script).toContain('exit "$status"');
      expect(expand(drift.def.resource_group, drift.matrix)).toBe(`tofu-${t.env}`);
    }
    // Nothing else runs on a schedule.
    for (const j of jobs.filter((x) => !x.job.startsWith('drift:'))) expect(j.def.rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' });
  });

  it('inits with TF_WORKSPACE unset, then selects or creates the workspace, encrypting with its own key', () => {
    const text = files.get('.gitlab-ci.yml')!;
    expect(text).not.toMatch(/^\s*TF_WORKSPACE:/m);
    for (const t of targets) {
      for (const prefix of ['plan', 'apply', 'drift']) {
        const j = instanceFor(jobs, prefix, t);
        const script = scriptOf(j.def);
        const init = script.indexOf('init -input=false');
        expect(init, `${j.name} inits`).toBeGreaterThan(-1);
        if (!t.workspace) {
          expect(script).not.toContain('workspace select');
          continue;
        }
        const select = script.indexOf('workspace select -or-create=true "$TOFU_WORKSPACE"');
        expect(select, `${j.name} selects its workspace after init`).toBeGreaterThan(init);
        expect(script.indexOf(prefix === 'apply' ? 'apply -input' : 'plan -input')).toBeGreaterThan(select);
        expect(expand(j.def.variables.TF_VAR_new_workspace, j.matrix)).toBe(t.workspace);
      }
    }
  });

  it('reaches AWS only through an ID token and the environment-scoped role: plan and drift the plan role, apply the apply role', () => {
    const text = files.get('.gitlab-ci.yml')!;
    // Stored keys appear only in the setup that refuses them (the SDK would prefer them to the token).
    const keyLines = text.split('\n').filter((line) => /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(line));
    expect(keyLines.map((line) => line.trim())).toEqual([
      'if [ -n "${AWS_ACCESS_KEY_ID:-}" ]; then',
      'echo "AWS_ACCESS_KEY_ID is set: stored keys would take precedence over the role. Delete the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY CI/CD variables." >&2',
    ]);
    for (const t of targets) {
      for (const [prefix, role] of [
        ['plan', '$AWS_PLAN_ROLE_ARN'],
        ['drift', '$AWS_PLAN_ROLE_ARN'],
        ['apply', '$AWS_APPLY_ROLE_ARN'],
      ] as const) {
        const j = instanceFor(jobs, prefix, t);
        expect(j.def.variables.AWS_ROLE_ARN, j.name).toBe(role);
        expect(Object.keys(j.def.id_tokens ?? {}), j.name).toEqual(['AWS_ID_TOKEN']);
        expect(j.def.id_tokens.AWS_ID_TOKEN.aud).toBe(`https://${spec.gitlabHost ?? 'gitlab.com'}`);
        // The role variables are set per environment: the job must run in its environment to see them.
        expect(expand(j.def.environment.name, j.matrix)).toBe(t.env);
        expect(scriptOf(j.def)).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
      }
    }
    for (const v of ['AWS_PLAN_ROLE_ARN', 'AWS_APPLY_ROLE_ARN']) expect(ciVariables(spec).find((x) => x.name === v)?.perEnvironment).toBe(true);
    // Jobs without credentials get no token.
    for (const j of jobs.filter((x) => x.def.stage === 'validate')) expect(j.def.id_tokens, j.name).toBeUndefined();
  });

  it('inits with -lockfile=readonly once a lock file exists, and has a manual lock job', () => {
    for (const j of jobs.filter((x) => scriptOf(x.def).includes('init -') && x.job !== 'lock')) {
      expect(scriptOf(j.def), j.name).toMatch(/if \[ -f "\$(TF_ROOT|root)\/\.terraform\.lock\.hcl" \]; then lockfile=-lockfile=readonly; fi/);
    }
    const lock = jobs.find((j) => j.job === 'lock')!;
    expect(lock.def.rules.at(-1).when).toBe('manual');
    expect(scriptOf(lock.def)).toMatch(/providers lock .*-platform=linux_amd64.*-platform=darwin_arm64/);
    expect(lock.def.artifacts.paths).toEqual(rootsOf(spec).map((r) => `${r.path}/.terraform.lock.hcl`));
    expect(lock.def.id_tokens).toBeUndefined();
  });

  it('never plans or applies bootstrap/', () => {
    for (const j of jobs.filter((x) => x.def.stage !== 'validate')) expect(expand(j.def.variables.TF_ROOT, j.matrix)).not.toBe('bootstrap');
  });

  it('takes secrets only from CI/CD variables and never prints one', () => {
    const text = files.get('.gitlab-ci.yml')!;
    for (const j of jobs) expectNothingPrintsSecrets(scriptOf(j.def), [...secrets, 'CI_JOB_TOKEN'], j.name);
    expect(text).not.toMatch(/CI_DEBUG_(TRACE|SERVICES)/);
    // Secrets are never given a value in the file, except the job token for GitLab-managed state.
    const assigned = { ...doc.variables, ...(doc['.tofu:state']?.variables ?? {}), ...Object.assign({}, ...jobs.map((j) => j.def.variables)) };
    for (const name of secrets) if (name in assigned) expect([name, assigned[name]]).toEqual(['TF_HTTP_PASSWORD', '$CI_JOB_TOKEN']);
    // Every secret the jobs need is listed in the header for the project's settings.
    for (const v of ciVariables(spec).filter((x) => x.gitlabValue === undefined)) expect(text).toContain(`#   ${v.name} (`);
  });
});

describe.each(VARIANTS)('GitHub Actions: $title', ({ choices }) => {
  const spec = specOf({ ...choices, ci: 'github' });
  const files = ciFiles(spec);
  const main = yamlOf(files.get('.github/workflows/tofu.yml'), 'tofu.yml');
  const root = yamlOf(files.get('.github/workflows/tofu-root.yml'), 'tofu-root.yml');
  const drift = yamlOf(files.get('.github/workflows/tofu-drift.yml'), 'tofu-drift.yml');
  const setup = yamlOf(files.get('.github/actions/setup-tofu/action.yml'), 'setup-tofu');
  const targets = expectedTargets(spec);
  const steps = (job: Yaml) => job.steps as Yaml[];
  const runs = (job: Yaml) =>
    steps(job)
      .map((s) => s.run ?? '')
      .join('\n');

  it('writes the workflows and the setup action, and uses only pinned actions', () => {
    expect([...files.keys()].sort()).toEqual([
      '.github/actions/setup-tofu/action.yml',
      '.github/workflows/tofu-drift.yml',
      '.github/workflows/tofu-lock.yml',
      '.github/workflows/tofu-root.yml',
      '.github/workflows/tofu.yml',
    ]);
    const pinned = new Set<string>(Object.values(CI_PINS));
    for (const text of files.values()) {
      for (const [, uses] of text.matchAll(/uses: (\S+)/g)) expect(uses!.startsWith('./.github/') || pinned.has(uses!), uses).toBe(true);
    }
    expect(setup.runs.steps[0]).toEqual({ uses: CI_PINS.setupOpentofuAction, with: { tofu_version: CI_PINS.tofuVersion, tofu_wrapper: false } });
  });

  it('validates on pull requests and pushes without credentials', () => {
    expect(Object.keys(main.on)).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect(main.permissions).toEqual({ contents: 'read' });
    const validate = main.jobs.validate;
    expect(validate.permissions).toBeUndefined();
    expect(runs(validate)).toContain('tofu fmt -check');
    expect(runs(validate)).toContain('init -backend=false');
    expect(validate.steps[3].env.ROOTS.split(' ')).toEqual(rootsOf(spec).map((r) => r.path));
    expect(JSON.stringify(validate)).not.toMatch(/secrets|id-token|aws-actions/);
  });

  it('fans the affected roots out to plan, and applies only on a push to the default branch', () => {
    const listed = JSON.parse(main.jobs.affected.steps[1].env.TARGETS) as { root: string; environment: string; workspace: string; planFile: string }[];
    expect(listed.map((t) => ({ root: t.root, env: t.environment, workspace: t.workspace, planFile: t.planFile }))).toEqual(targets);
    const tofu = main.jobs.tofu;
    expect(tofu.uses).toBe('./.github/workflows/tofu-root.yml');
    expect(tofu.needs).toEqual(['validate', 'lint', 'affected']);
    expect(tofu.strategy.matrix.target).toBe('${{ fromJSON(needs.affected.outputs.targets) }}');
    // The default branch is a top-level conjunct: no event on another ref (a pull request's) can apply.
    expect(tofu.with.apply).toMatch(/^\$\{\{ github\.ref == format\('refs\/heads\/\{0\}', github\.event\.repository\.default_branch\) && \(/);
    expect(tofu.with.apply).not.toContain('pull_request');
    expect(tofu.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(main.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  it('plans with a read role, uploads the plan and summarises it', () => {
    const plan = root.jobs.plan;
    const aws = steps(plan).find((s) => s.uses === CI_PINS.awsCredentialsAction)!;
    expect(aws.with['role-to-assume']).toBe("${{ vars[format('AWS_PLAN_ROLE_ARN_{0}', inputs.key)] }}");
    expect(runs(plan)).toMatch(/set -- -out="\$TOFU_PLAN"[^\n]*\n[\s\S]*plan -input=false -lock-timeout=5m -no-color "\$@"/);
    expectQuietPlanLog(runs(plan));
    expect(steps(plan).find((s) => s.id === 'plan')!.env).toEqual({ TOFU_PLAN_LOG: '${{ vars.TOFU_PLAN_LOG }}' });
    expect(runs(plan)).toContain('>>"$GITHUB_STEP_SUMMARY"');
    const upload = steps(plan).find((s) => s.uses === CI_PINS.uploadArtifactAction)!;
    expect(upload.with).toMatchObject({
      name: 'tofu-plan-${{ inputs.id }}',
      'include-hidden-files': true,
      'retention-days': PLAN_RETENTION.githubDays,
      'if-no-files-found': 'error',
    });
    expect(upload.with.path).toContain('${{ inputs.root }}/${{ inputs.plan-file }}');
  });

  it('applies the reviewed plan through environment protection, one run per environment at a time', () => {
    const apply = root.jobs.apply;
    expect(apply.needs).toBe('plan');
    expect(apply.if).toContain('inputs.apply && !inputs.drift');
    expect(apply.environment).toBe('${{ inputs.environment }}');
    expect(apply.concurrency).toEqual({ group: 'tofu-${{ inputs.environment }}', 'cancel-in-progress': false });
    const download = steps(apply).find((s) => s.uses === CI_PINS.downloadArtifactAction)!;
    expect(download.with).toEqual({ name: 'tofu-plan-${{ inputs.id }}', path: '${{ inputs.root }}' });
    expect(runs(apply)).toContain('apply -input=false -lock-timeout=5m "$TOFU_PLAN"');
    expect(runs(apply)).not.toMatch(/\bplan\b.*-out|-auto-approve/);
    const aws = steps(apply).find((s) => s.uses === CI_PINS.awsCredentialsAction)!;
    expect(aws.with['role-to-assume']).toBe("${{ vars[format('AWS_APPLY_ROLE_ARN_{0}', inputs.key)] }}");
  });

  it('checks every root for drift on a schedule', () => {
    expect(drift.on.schedule).toHaveLength(1);
    const listed = drift.jobs.drift.strategy.matrix.target as Yaml[];
    expect(listed.map((t) => ({ root: t.root, env: t.environment, workspace: t.workspace }))).toEqual(
      targets.map(({ root: r, env, workspace }) => ({ root: r, env, workspace })),
    );
    expect(drift.jobs.drift.with.drift).toBe(true);
    expect(runs(root.jobs.drift)).toContain('set -- -detailed-exitcode');
    expectQuietPlanLog(runs(root.jobs.drift));
    expect(root.jobs.drift.concurrency.group).toBe('tofu-${{ inputs.environment }}');
  });

  it('summarises plans as resource addresses and actions only, never the text of tofu show', () => {
    for (const wf of [main, root, drift]) {
      for (const [name, job] of Object.entries(wf.jobs as Record<string, Yaml>)) {
        for (const s of job.steps ?? []) {
          const run: string = s.run ?? '';
          for (const [show] of run.matchAll(/tofu\b[^\n|]*\bshow\b[^\n|]*/g)) expect(show, `${name}: tofu show only as JSON`).toContain('-json');
          if (!run.includes('GITHUB_STEP_SUMMARY')) continue;
          // What reaches the summary from a plan goes through jq, which prints .address and .change.actions only.
          if (run.includes('show -json')) {
            expect(run).toMatch(/show -json "\$TOFU_PLAN" \| jq -r/);
            const program = run.slice(run.indexOf('jq -r'));
            const fields = [...program.matchAll(/\.([a-z_]+)/g)].map((m) => m[1]);
            expect(new Set(fields), `${name}: only addresses and actions`).toEqual(new Set(['resource_changes', 'change', 'actions', 'address']));
          }
        }
      }
    }
  });

  it('scopes every secret to a job in the environment it belongs to: plans in <env>-plan, apply in <env>', () => {
    for (const wf of [main, root, drift]) expect(JSON.stringify(wf.env ?? {}), 'no workflow-level secret').not.toContain('secrets');
    for (const [name, job] of Object.entries(root.jobs as Record<string, Yaml>)) {
      const usesSecrets = JSON.stringify(job).includes('secrets[');
      if (!usesSecrets) continue;
      expect(job.environment, `${name} reads secrets, so it runs in an environment`).toBe(
        name === 'apply' ? '${{ inputs.environment }}' : "${{ format('{0}-plan', inputs.environment) }}",
      );
      // Per-environment names are built from inputs.key, which every caller derives from the same environment.
      for (const [, , expr] of JSON.stringify(job).matchAll(/secrets\[format\('([A-Z_]+)_\{0\}', ([a-z.]+)\)\]/g)) expect(expr).toBe('inputs.key');
    }
    const callers = [...(JSON.parse(main.jobs.affected.steps[1].env.TARGETS) as Yaml[]), ...(drift.jobs.drift.strategy.matrix.target as Yaml[])];
    for (const t of callers) expect(t.key, `${t.id}: its key is its environment's`).toBe(t.environment.toUpperCase().replaceAll('-', '_'));
    for (const caller of [main.jobs.tofu, drift.jobs.drift]) {
      expect(caller.with.key).toBe('${{ matrix.target.key }}');
      expect(caller.with.environment).toBe('${{ matrix.target.environment }}');
    }
  });

  it('applies only on the default branch, in the environment, from the plan artifact of the same commit', () => {
    const apply = root.jobs.apply;
    expect(apply.if).toContain("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    expect(apply.environment).toBe('${{ inputs.environment }}');
    const plan = root.jobs.plan;
    const record = steps(plan).findIndex((s) => (s.run ?? '').includes('"$GITHUB_SHA" >"$TOFU_ROOT/$TOFU_PLAN.sha"'));
    const upload = steps(plan).findIndex((s) => s.uses === CI_PINS.uploadArtifactAction);
    expect(record).toBeGreaterThan(-1);
    expect(upload).toBeGreaterThan(record);
    expect(steps(plan)[upload]!.with.path).toContain('${{ inputs.root }}/${{ inputs.plan-file }}.sha');
    const download = steps(apply).findIndex((s) => s.uses === CI_PINS.downloadArtifactAction);
    const check = steps(apply).findIndex((s) => /"\$planned" != "\$GITHUB_SHA"[\s\S]*exit 1/.test(s.run ?? ''));
    const applyStep = steps(apply).findIndex((s) => (s.run ?? '').includes('apply -input=false'));
    expect(download).toBeGreaterThan(-1);
    expect(check, 'the commit check runs after the download').toBeGreaterThan(download);
    expect(applyStep, 'and before the apply').toBeGreaterThan(check);
  });

  it('plans and drift-checks with the plan role, applies with the apply role', () => {
    const role = (job: Yaml) => steps(job).find((s) => s.uses === CI_PINS.awsCredentialsAction)!.with['role-to-assume'];
    expect(role(root.jobs.plan)).toContain('AWS_PLAN_ROLE_ARN_');
    expect(role(root.jobs.drift)).toContain('AWS_PLAN_ROLE_ARN_');
    expect(role(root.jobs.apply)).toContain('AWS_APPLY_ROLE_ARN_');
  });

  it('inits with TF_WORKSPACE unset and -lockfile=readonly once a lock file exists; a manual job writes lock files', () => {
    const all = [...files.values()].join('\n');
    expect(all).not.toContain('TF_WORKSPACE:');
    for (const name of ['plan', 'apply', 'drift']) {
      const script = runs(root.jobs[name]);
      expect(script, name).toContain('if [ -f "$TOFU_ROOT/.terraform.lock.hcl" ]; then lockfile=-lockfile=readonly; fi');
      const init = script.indexOf('init -input=false');
      const select = script.indexOf('workspace select -or-create=true "$TOFU_WORKSPACE"');
      if (spec.layout === 'workspace') {
        expect(select, `${name}: select after init`).toBeGreaterThan(init);
        expect(script).toContain('TF_VAR_new_workspace=$TOFU_WORKSPACE');
      } else expect(select).toBe(-1);
    }
    const lock = yamlOf(files.get('.github/workflows/tofu-lock.yml'), 'tofu-lock.yml');
    expect(Object.keys(lock.on)).toEqual(['workflow_dispatch']);
    expect(runs(lock.jobs.lock)).toMatch(/providers lock .*-platform=linux_amd64.*-platform=darwin_arm64/);
    expect(JSON.stringify(lock)).not.toMatch(/secrets|id-token/);
  });

  it('reaches AWS by OIDC only, keeps secrets out of scripts and never prints them', () => {
    const all = [...files.values()].join('\n');
    expect(all).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/);
    // A key file's variable holds a path: writing that path to GITHUB_ENV is how it is passed.
    const secrets = ciVariables(spec)
      .filter((v) => v.secret && !v.github?.file)
      .map((v) => v.name);
    for (const wf of [main, root, drift]) {
      for (const [name, job] of Object.entries(wf.jobs as Record<string, Yaml>)) {
        for (const s of job.steps ?? []) {
          if (s.run) {
            expect(s.run, `${name}: secrets reach scripts through env only`).not.toContain('secrets.');
            expectNothingPrintsSecrets(s.run.replace('printf \'%s\' "$CREDENTIALS" >', ''), [...secrets, 'CREDENTIALS'], name);
          }
        }
      }
    }
  });
});

/**
 * A plan's text goes to a file; the log gets its resource header lines (address and action) and the
 * totals, or the whole text only when TOFU_PLAN_LOG=full. Proven by use in ci-github-act and
 * ci-gitlab-local, which check that a parameter's name planned by the job is not in the log.
 */
function expectQuietPlanLog(script: string): void {
  expect(script).toMatch(/plan [^\n]*"\$@" >"\$plan_log" \|\| status=\$\?/);
  expect(script).toContain(`if [ "\${TOFU_PLAN_LOG:-}" = full ]; then cat "$plan_log"; else grep -E '^  # |^Plan: |^No changes\\.' "$plan_log" || true; fi`);
}

/**
 * --accounts: the roots assume account_role_name in the environment's account, and in CI that is
 * the role the job assumed (bootstrap lets each CI role assume itself; accounts-moto proves it).
 * The shell that names it is run here with bash on the role ARN each job assumes.
 */
describe('--accounts: every job that assumes a role names that role as account_role_name', () => {
  const withAccounts = ciFiles(specOf({ layout: 'directory', envs: 'dev,prod', accounts: 'dev=111111111111,prod=222222222222' }));
  const without = ciFiles(specOf({ layout: 'directory', envs: 'dev,prod' }));
  const arn = 'arn:aws:iam::111111111111:role/acme-tofu-github-plan-dev';
  const bash = (script: string, env: Record<string, string>) => {
    const r = spawnSync('bash', ['-euc', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  it('GitHub: after configure-aws-credentials, plan, apply and drift write the name of the role they assumed to GITHUB_ENV', () => {
    const root = yamlOf(withAccounts.get('.github/workflows/tofu-root.yml'), 'tofu-root.yml');
    for (const name of ['plan', 'apply', 'drift']) {
      const steps = root.jobs[name].steps as Yaml[];
      const assume = steps.findIndex((s) => s.uses === CI_PINS.awsCredentialsAction);
      const naming = steps.findIndex((s) => s.run?.includes('TF_VAR_account_role_name'));
      const init = steps.findIndex((s) => s.run?.includes(' init '));
      expect(naming, `${name}: after the role is assumed`).toBeGreaterThan(assume);
      expect(init, `${name}: before tofu init`).toBeGreaterThan(naming);
      // The same variable the job assumed: plan and drift the plan role, apply the apply role.
      expect(steps[naming]!.env.ROLE_ARN, name).toBe(steps[assume]!.with['role-to-assume']);
      const githubEnv = join(mkdtempSync(join(tmpdir(), 'cti-github-env-')), 'env');
      writeFileSync(githubEnv, '');
      bash(steps[naming]!.run, { ROLE_ARN: arn, GITHUB_ENV: githubEnv });
      expect(readFileSync(githubEnv, 'utf8')).toBe('TF_VAR_account_role_name=acme-tofu-github-plan-dev\n');
    }
  });

  it('GitLab: the ID-token setup of every plan, apply and drift job exports the name of the role it assumes', () => {
    const jobs = gitlabJobs(yamlOf(withAccounts.get('.gitlab-ci.yml'), '.gitlab-ci.yml')).filter((j) => j.def.id_tokens);
    expect(new Set(jobs.map((j) => j.job.split(':')[0]))).toEqual(new Set(['plan', 'apply', 'drift']));
    for (const j of jobs) {
      const script = `${(j.def.before_script as string[]).join('\n')}\nprintf '%s' "$TF_VAR_account_role_name"`;
      const out = bash(script, { AWS_ID_TOKEN: 'token', AWS_ROLE_ARN: arn, AWS_ROLE_SESSION_NAME: 'tofu-1' });
      expect(out.split('\n').at(-1), j.name).toBe('acme-tofu-github-plan-dev');
    }
  });

  it('without --accounts no job sets account_role_name (the roots have no such variable)', () => {
    for (const [path, text] of without) expect(text, path).not.toContain('account_role_name');
  });
});

/**
 * GitLab's `.aws:oidc` setup, run with bash as a job would run it: it reaches AWS only as the role
 * its ID token assumes. No token, no role ARN, or stored keys beside them (which the AWS SDK would
 * prefer to the token) fail the job with a message naming the fix, before anything reads AWS;
 * ci-gitlab-local runs the no-token case in a real pipeline.
 */
describe('GitLab: a job without its ID token or role fails instead of falling back to another identity', () => {
  const doc = yamlOf(ciFiles(specOf({ layout: 'directory', envs: 'dev,prod' })).get('.gitlab-ci.yml'), '.gitlab-ci.yml');
  const jobs = gitlabJobs(doc).filter((j) => j.def.id_tokens);
  const arn = 'arn:aws:iam::123456789012:role/acme-tofu-gitlab-plan-dev';
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6YWNtZS9pbmZyYSJ9.c2lnbmF0dXJl';
  const run = (env: Record<string, string>) => {
    const script = `${(doc['.aws:oidc'].before_script as string[]).join('\n')}\nprintf 'token file: %s\n' "$(cat "$AWS_WEB_IDENTITY_TOKEN_FILE")" >&2`;
    return spawnSync('sh', ['-c', script], {
      env: { PATH: process.env.PATH!, AWS_ROLE_SESSION_NAME: 'tofu-1', CI_ENVIRONMENT_NAME: 'dev', ...env },
      encoding: 'utf8',
    });
  };

  it('every plan, apply and drift job runs the setup', () => {
    expect(new Set(jobs.map((j) => j.job.split(':')[0]))).toEqual(new Set(['plan', 'apply', 'drift']));
    for (const j of jobs) expect(j.def.before_script, j.name).toEqual(doc['.aws:oidc'].before_script);
  });

  it('with a token and a role: writes the token to AWS_WEB_IDENTITY_TOKEN_FILE and prints the role, never the token', () => {
    const r = run({ AWS_ID_TOKEN: token, AWS_ROLE_ARN: arn });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`AWS: ${arn} by web identity, session tofu-1\n`);
    expect(r.stderr).toBe(`token file: ${token}\n`);
  });

  it.each([
    [
      'no token',
      { AWS_ROLE_ARN: arn },
      "No GitLab ID token in AWS_ID_TOKEN: this job reaches AWS only by assuming its environment's role with one (id_tokens).",
    ],
    ['an empty token', { AWS_ID_TOKEN: '', AWS_ROLE_ARN: arn }, 'No GitLab ID token in AWS_ID_TOKEN'],
    [
      'no role ARN (the variable not scoped to this environment)',
      { AWS_ID_TOKEN: token, AWS_ROLE_ARN: '$AWS_PLAN_ROLE_ARN' },
      'AWS_ROLE_ARN is not a role ARN: set AWS_PLAN_ROLE_ARN and AWS_APPLY_ROLE_ARN as CI/CD variables scoped to the environment dev (bootstrap: tofu output ci_setup).',
    ],
    ['a role ARN of another kind', { AWS_ID_TOKEN: token, AWS_ROLE_ARN: 'arn:aws:iam::123456789012:user/ci' }, 'AWS_ROLE_ARN is not a role ARN'],
    [
      'stored keys beside the token',
      { AWS_ID_TOKEN: token, AWS_ROLE_ARN: arn, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
      'AWS_ACCESS_KEY_ID is set: stored keys would take precedence over the role. Delete the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY CI/CD variables.',
    ],
  ])('%s: fails with a message naming the fix, writing no token file', (_case, env, message) => {
    const r = run(env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('token file');
    expect(r.stdout).toBe('');
  });
});
