// Running the generated GitHub workflows for real with act (nektos/act, built by the toolchain), in
// host mode: no Docker, every job runs on this machine in a workspace act copies from a clean clone.
// Remote actions are replaced by the stand-ins in test/act/actions (act's --local-repository);
// actions/checkout is act's own local checkout. The state of every root is in moto, reached through
// test-only override files that the test repository commits (the generated .gitignore ignores them).
//
// What a run leaves to look at: act's whole log (run with --insecure-secrets, so a secret a step
// prints is in the log rather than masked), and per `run:` step a record written by
// test/act/runner-bin/bash: its job, root and workspace, which marker secrets its environment or
// script held, and what it wrote to $GITHUB_STEP_SUMMARY (act itself keeps no job summaries).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { REPO } from './cli.js';
import { scaffold, tofuOk } from './generated.js';
import type { Moto } from './moto.js';
import { backendSettings, bootstrapAgainstMoto, commitAll, createWorkspaces, git, pointRootAtMoto, stripAnsi } from './ci-gitlab-local.js';
import { offlineTflintConfig } from './quality.js';
import { tempDir } from './tmp.js';
import { toolchain } from './toolchain.js';

export type Layout = 'directory' | 'hybrid' | 'workspace';

/** The GitHub repository the test pretends to be (act reads it from the clone's origin URL). */
export const GITHUB_REPOSITORY = 'acme-org/acme';
const DEFAULT_BRANCH = 'main';
const ACT_DIR = join(REPO, 'test', 'act');

/**
 * The remote actions the stand-ins replace, by owner/repo, with the one ref each stands in for (the
 * generated workflows' pins, CI_PINS): a workflow moving to another major fails until its stand-in
 * is checked against that major's inputs and outputs. actions/checkout is act's own local checkout.
 */
const STAND_INS: Record<string, { ref: string; dir: string }> = {
  'opentofu/setup-opentofu': { ref: 'v1', dir: 'setup-opentofu' },
  'aws-actions/configure-aws-credentials': { ref: 'v6', dir: 'configure-aws-credentials' },
  'actions/upload-artifact': { ref: 'v7', dir: 'upload-artifact' },
  'actions/download-artifact': { ref: 'v8', dir: 'download-artifact' },
  'terraform-linters/setup-tflint': { ref: 'v4', dir: 'setup-tflint' },
};
const ACT_OWN = new Set(['actions/checkout']);

/** One planned root in one environment, as the workflow's targets list it. */
export interface Target {
  id: string;
  environment: string;
  root: string;
  workspace: string;
  key: string;
}

export interface ActRepo {
  /** The working repository (scaffolded, pointed at moto, committed); act runs on clones of it. */
  source: string;
  layout: Layout;
  targets: Target[];
  /** Repository variables (the role ARNs from bootstrap, the upgrade check switched off). */
  vars: Record<string, string>;
  /** Repository secrets: one marker passphrase per environment key, by secret name (given to act whether or not the workflows read them). */
  secrets: Record<string, string>;
  /** Whether the workflows read those secrets (pbkdf2), so each plan job must hold its own. */
  readsSecrets: boolean;
  /** The commit the repository started from (main before the change under test). */
  base: string;
}

/**
 * Flags of the scaffolded repository: pbkdf2, so that every environment has a secret of its own
 * for the marker checks, and the network module alone (the hybrid stack then calls no module and
 * its inputs carry a reasoned tflint-ignore; the workspace layout's key_environment too).
 */
export function layoutFlags(layout: Layout): string[] {
  return [
    ...['--name', 'acme', '--layout', layout, '--envs', 'dev,prod', '--modules', 'network', '--key-provider', 'pbkdf2'],
    ...['--ci', 'github', '--github-repo', GITHUB_REPOSITORY],
  ];
}

/** The targets the generated tofu.yml lists (its affected step's TARGETS). */
export function workflowTargets(repo: string): Target[] {
  const doc = parse(readFileSync(join(repo, '.github', 'workflows', 'tofu.yml'), 'utf8')) as {
    jobs: { affected: { steps: { id?: string; env?: { TARGETS?: string } }[] } };
  };
  const select = doc.jobs.affected.steps.find((s) => s.id === 'select');
  if (!select?.env?.TARGETS) throw new Error('tofu.yml: the affected job has no select step with TARGETS');
  return JSON.parse(select.env.TARGETS) as Target[];
}

/** Every `owner/repo@ref` a generated workflow or local action uses, each with its stand-in folder. */
export function localRepositories(repo: string): string[] {
  const files = [join(repo, '.github', 'workflows'), join(repo, '.github', 'actions')].flatMap((dir) => yamlFiles(dir));
  const uses = new Set(
    files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\s*(?:-\s*)?uses:\s*([\w.-]+\/[\w.-]+)@(\S+)\s*$/gm)].map((m) => `${m[1]}@${m[2]}`)),
  );
  return [...uses].flatMap((use) => {
    const [name, ref] = use.split('@') as [string, string];
    if (ACT_OWN.has(name)) return [];
    const standIn = STAND_INS[name];
    if (!standIn) throw new Error(`the workflows use ${use}, which has no stand-in in test/act/actions (act cannot download it here)`);
    if (standIn.ref !== ref)
      throw new Error(`the workflows use ${use}, but test/act/actions/${standIn.dir} stands in for @${standIn.ref}: check it against that version`);
    return [`${use}=${join(ACT_DIR, 'actions', standIn.dir)}`];
  });
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Boto3 in moto's own virtualenv, against moto. */
async function boto(moto: Moto, code: string): Promise<string> {
  const python = join(dirname(toolchain().motoServer), 'python');
  const prelude = `import boto3, json\nsession = boto3.session.Session(region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")\niam = session.client("iam", endpoint_url="${moto.endpoint}", verify="${moto.env.AWS_CA_BUNDLE}")\nssm = session.client("ssm", endpoint_url="${moto.endpoint}", verify="${moto.env.AWS_CA_BUNDLE}")\n`;
  const r = await execa(python, ['-c', prelude + code], { reject: false });
  if (r.exitCode !== 0) throw new Error(`boto3 against moto failed:\n${r.stderr}`);
  return r.stdout;
}

/**
 * The repository variables naming the CI roles, read from bootstrap's output ci_role_arns: the
 * roles bootstrap made for this repository (--github-repo), with the trust the README promises.
 */
export async function githubRoleVariables(source: string, moto: Moto, targets: Target[]): Promise<Record<string, string>> {
  const out = await tofuOk(join(source, 'bootstrap'), ['output', '-json', 'ci_role_arns'], moto.env);
  const arns = (JSON.parse(out.slice(out.indexOf('{'))) as { github?: Record<string, { plan: string; apply: string }> }).github ?? {};
  return Object.fromEntries(
    [...new Map(targets.map((t) => [t.key, t.environment])).entries()].flatMap(([key, environment]) => {
      const roles = arns[environment];
      if (!roles) throw new Error(`bootstrap output ci_role_arns has no github roles for environment ${environment}`);
      return [
        [`AWS_PLAN_ROLE_ARN_${key}`, roles.plan],
        [`AWS_APPLY_ROLE_ARN_${key}`, roles.apply],
      ];
    }),
  );
}

/** Changes an SSM parameter behind tofu's back: the drift the scheduled workflow must find. */
export async function setParameter(moto: Moto, name: string, value: string): Promise<void> {
  await boto(moto, `ssm.put_parameter(Name=${JSON.stringify(name)}, Value=${JSON.stringify(value)}, Type="String", Overwrite=True)`);
}

/**
 * Scaffolds a repository of one layout with the built CLI, bootstraps it against moto, points every
 * root at moto with test-only files, reads the CI roles bootstrap made and commits it on `main`.
 */
export async function prepareActRepo(layout: Layout, moto: Moto, marker: string): Promise<ActRepo> {
  const source = await scaffold(layoutFlags(layout));
  await bootstrapAgainstMoto(source, moto);
  const targets = workflowTargets(source);
  for (const root of new Set(targets.map((t) => t.root))) {
    const dir = join(source, root);
    // One marker per environment; the workspace layout's root serves every environment through TF_WORKSPACE.
    const env = targets.find((t) => t.root === root)!;
    await pointRootAtMoto(dir, moto, backendSettings(dir), env.workspace ? '${terraform.workspace}' : env.environment);
  }
  const secrets: Record<string, string> = Object.fromEntries(
    [...new Set(targets.map((t) => t.key))].map((key) => [`STATE_PASSPHRASE_${key}`, `${marker}-${key.toLowerCase()}-passphrase`]),
  );
  // hybrid + pbkdf2: service roots decrypt shared's state with shared's passphrase, a repository secret.
  const workflow = readFileSync(join(source, '.github', 'workflows', 'tofu-root.yml'), 'utf8');
  if (workflow.includes('secrets.SHARED_STATE_PASSPHRASE') && secrets.STATE_PASSPHRASE_SHARED)
    secrets.SHARED_STATE_PASSPHRASE = secrets.STATE_PASSPHRASE_SHARED;
  if (layout === 'workspace')
    await createWorkspaces(
      source,
      moto,
      targets.map((t) => ({ root: t.root, workspace: t.workspace, env: { TF_VAR_state_passphrase: secrets[`STATE_PASSPHRASE_${t.key}`]! } })),
    );
  // Test-only: the aws tflint ruleset cannot be downloaded here (see test/harness/quality.ts).
  offlineTflintConfig(source);
  await execa('git', ['init', '-q', '-b', DEFAULT_BRANCH, source]);
  await commitAll(source, 'scaffold');
  const base = (await git(source, ['rev-parse', 'HEAD'])).trim();
  // The informational upgrade-check job needs the npm registry: off, as its variable allows.
  const vars = { ...(await githubRoleVariables(source, moto, targets)), CREATE_TOFU_INFRA_UPGRADE_CHECK: 'false' };
  const readsSecrets = readFileSync(join(source, '.github', 'workflows', 'tofu-root.yml'), 'utf8').includes('STATE_PASSPHRASE_');
  return { source, layout, targets, vars, secrets, readsSecrets, base };
}

export interface ActRun {
  exitCode: number;
  /** act's whole log, secrets not masked (--insecure-secrets), without colour codes. */
  log: string;
  /** One record per `run:` step act ran (test/act/runner-bin/bash). */
  steps: StepRecord[];
  /** The run's artifacts, as the upload-artifact stand-in stored them. */
  artifacts: string;
  seconds: number;
}

export interface StepRecord {
  job: string;
  event: string;
  root: string;
  workspace: string;
  /** Names of the marker secrets (ActRepo.secrets keys) the step's environment or script held. */
  markers: string[];
  /** What the step wrote to $GITHUB_STEP_SUMMARY. */
  summary: string;
}

export interface ActOptions {
  /** Workflow file under .github/workflows. */
  workflow: string;
  event: 'pull_request' | 'push' | 'schedule' | 'workflow_dispatch';
  /** The commit the event is about (HEAD of the clone). */
  head: string;
  /** pull_request: the base commit; push: the commit before. */
  base?: string;
  /** Environment for every job besides the stand-ins' settings (test-only tofu arguments). */
  env?: Record<string, string>;
  /** Replaces the repository variables (negative controls). */
  vars?: Record<string, string>;
  /** Edits the clone before act runs (negative controls: sabotage a workflow). */
  edit?: (clone: string) => void;
}

function eventPayload(o: ActOptions): object {
  const repository = { full_name: GITHUB_REPOSITORY, name: 'acme', owner: { login: 'acme-org' }, default_branch: DEFAULT_BRANCH };
  if (o.event === 'pull_request') {
    return {
      number: 7,
      pull_request: { number: 7, base: { ref: DEFAULT_BRANCH, sha: o.base }, head: { ref: 'change', sha: o.head } },
      repository,
    };
  }
  if (o.event === 'push') return { ref: `refs/heads/${DEFAULT_BRANCH}`, before: o.base, after: o.head, repository };
  return { repository };
}

/** The environment of act itself, which host-mode jobs inherit: no toolchain tofu on PATH (setup-opentofu must put it there). */
function actEnv(moto: Moto, run: string, files: { markers: string; targets: string }, extra: Record<string, string>): Record<string, string> {
  const t = toolchain();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(TF_|TOFU_|CTI_|AWS_|GITHUB_|RUNNER_|ACTIONS_)/.test(k) && k !== 'CI'),
  ) as Record<string, string>;
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((p) => p && p !== dirname(t.tofu))
    .join(':');
  return {
    ...inherited,
    ...(Object.fromEntries(Object.entries(moto.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
    // Credentials come only from the configure-aws-credentials stand-in.
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    PATH: `${join(ACT_DIR, 'runner-bin')}:${path}`,
    CTI_ACT_TOFU: t.tofu,
    CTI_ACT_PROVIDER_MIRROR: t.mirrorDir,
    CTI_ACT_PLUGIN_CACHE: join(run, 'plugin-cache'),
    CTI_ACT_TFLINT: t.tflint,
    CTI_ACT_CHECKOV: t.checkov,
    CTI_ACT_PYTHON: join(dirname(t.motoServer), 'python'),
    CTI_ACT_ARTIFACTS: join(run, 'artifacts'),
    CTI_ACT_RECORD: join(run, 'steps'),
    CTI_ACT_MARKERS: files.markers,
    CTI_ACT_TARGETS: files.targets,
    CTI_ACT_DEFAULT_BRANCH: DEFAULT_BRANCH,
    BC_SKIP_MAPPING: 'TRUE',
    GOGC: 'off',
    GOMEMLIMIT: '2GiB',
    ...extra,
  };
}

/** KEY=value lines for act's --secret-file / --var-file (values never on its command line). */
function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
    .join('');
}

/** Runs one workflow of a clean clone of the repository at `head` with act, as GitHub would for the event. */
export async function runAct(repo: ActRepo, moto: Moto, o: ActOptions): Promise<ActRun> {
  const run = tempDir('cti-act-run-');
  const clone = join(run, 'repo');
  await execa('git', ['clone', '-q', '--no-hardlinks', repo.source, clone]);
  await git(clone, ['checkout', '-q', '-B', DEFAULT_BRANCH, o.head]);
  await git(clone, ['remote', 'set-url', 'origin', `https://github.com/${GITHUB_REPOSITORY}.git`]);
  o.edit?.(clone);
  for (const dir of ['artifacts', 'steps', 'plugin-cache', 'act-cache']) mkdirSync(join(run, dir));
  const files = {
    event: join(run, 'event.json'),
    secrets: join(run, 'secrets.env'),
    vars: join(run, 'vars.env'),
    markers: join(run, 'markers.json'),
    targets: join(run, 'targets.json'),
  };
  writeFileSync(files.event, JSON.stringify(eventPayload(o)));
  writeFileSync(files.secrets, dotenv(repo.secrets), { mode: 0o600 });
  writeFileSync(files.vars, dotenv(o.vars ?? repo.vars));
  writeFileSync(files.markers, JSON.stringify(repo.secrets), { mode: 0o600 });
  writeFileSync(files.targets, JSON.stringify(repo.targets));
  const t0 = Date.now();
  const r = await execa(
    toolchain().act,
    [
      o.event,
      '--workflows',
      join('.github', 'workflows', o.workflow),
      '--platform',
      'ubuntu-24.04=-self-hosted',
      '--platform',
      'ubuntu-latest=-self-hosted',
      '--eventpath',
      files.event,
      '--secret-file',
      files.secrets,
      '--var-file',
      files.vars,
      '--env-file',
      '/dev/null',
      '--defaultbranch',
      DEFAULT_BRANCH,
      '--action-cache-path',
      join(run, 'act-cache'),
      '--action-offline-mode',
      '--use-gitignore=false',
      '--no-cache-server',
      '--insecure-secrets',
      // One job at a time: act v0.2.89 shares the secrets map between the matrix jobs of a reusable
      // workflow and crashes when two interpolate it at once ("fatal error: concurrent map writes" in
      // getWorkflowSecrets; nektos/act#6030, open). Seen here on a push that applies dev and prod.
      '--concurrent-jobs',
      '1',
      ...localRepositories(clone).flatMap((l) => ['--local-repository', l]),
    ],
    { cwd: clone, env: actEnv(moto, run, files, o.env ?? {}), extendEnv: false, reject: false, all: true, stdin: 'ignore' },
  );
  return {
    exitCode: r.exitCode ?? -1,
    log: stripAnsi(r.all ?? ''),
    steps: readSteps(join(run, 'steps')),
    artifacts: join(run, 'artifacts'),
    seconds: (Date.now() - t0) / 1000,
  };
}

function readSteps(dir: string): StepRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string> & { markers: string[] };
      const summaryFile = join(dir, f.replace(/\.json$/, '.summary'));
      return {
        job: raw.GITHUB_JOB!,
        event: raw.GITHUB_EVENT_NAME!,
        root: raw.TOFU_ROOT!,
        workspace: raw.TOFU_WORKSPACE!,
        markers: raw.markers,
        summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
      };
    });
}

/** Commits a change to the repository's main branch and returns the new commit. */
export async function commitChange(repo: ActRepo, file: string, line: string, message: string): Promise<string> {
  const path = join(repo.source, file);
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n${line}\n`);
  await commitAll(repo.source, message);
  return (await git(repo.source, ['rev-parse', 'HEAD'])).trim();
}

/** Where tofu keeps a target's state in moto (the workspace layout prefixes env:/<workspace>/). */
export function stateKey(repo: ActRepo, t: Target): { bucket: string; key: string } {
  const settings = backendSettings(join(repo.source, t.root));
  const key = String(settings.key);
  return { bucket: String(settings.bucket), key: t.workspace ? `env:/${t.workspace}/${key}` : key };
}
