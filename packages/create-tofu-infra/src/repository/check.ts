import { backendOf } from '../features/backends/index.js';
import { keyProviderOf } from '../features/key-providers/index.js';
import { layoutOf } from '../features/layouts/index.js';
import { ACCOUNTS_FORM, checkAccountId } from '../spec/accounts.js';
import { checkName, checkRegion, duplicates, unknownRegion } from '../spec/name-rules.js';
import { projectNameOf } from '../spec/project-name.js';
import { cidrProblem, MAX_REGIONS } from '../spec/regions.js';
import type { Spec } from '../spec/spec.js';
import { rootsOf } from './render.js';

/** What a caller may allow beyond the rules. */
export interface CheckOptions {
  /** Accept well-formed region names missing from the AWS region list (--allow-unknown-region): a region newer than the list. */
  allowUnknownRegions?: boolean;
  /** Regions accepted earlier (a generated repository's own): never refused for missing from the list. */
  acceptedRegions?: string[];
}

/** The flag that accepts a region missing from the list. */
export const ALLOW_UNKNOWN_REGION_FLAG = '--allow-unknown-region';

/** How a valid name looks, said after every bad one. */
export const NAME_FORM = 'Use lowercase letters, digits and single hyphens, starting with a letter';

function nameListProblems(kind: string, flag: string, values: string[]): string[] {
  return [
    ...values.flatMap((v) => checkName(kind, v) ?? []).map((p) => `--${flag}: ${p}. ${NAME_FORM} (e.g. dev, staging, prod-eu)`),
    ...duplicates(values).map((d) => `--${flag}: "${d}" is listed more than once`),
  ];
}

/** A name the layout keeps for itself, with the reason: undefined when `env` is free. */
export function reservedEnvironment(spec: Pick<Spec, 'layout'>, env: string): string | undefined {
  const reason = layoutOf(spec).reservedEnvironments[env];
  return reason === undefined ? undefined : `"${env}" ${reason}`;
}

function environmentProblems(spec: Spec): string[] {
  const reserved = spec.envs.flatMap((env) => reservedEnvironment(spec, env) ?? []).map((p) => `--envs: ${p}. Pick another name (e.g. dev)`);
  return [...nameListProblems('environment', 'envs', spec.envs), ...reserved];
}

const REGION_FORM = 'Use AWS region names, comma-separated, primary first (e.g. eu-west-1,eu-central-1)';

function regionProblems(spec: Spec, opts: CheckOptions): string[] {
  const names = spec.regions.map((r) => r.name);
  const malformed = names.flatMap((r) => checkRegion(r) ?? []);
  const unknown = opts.allowUnknownRegions
    ? []
    : names.filter((r) => checkRegion(r) === undefined && !opts.acceptedRegions?.includes(r)).flatMap((r) => unknownRegion(r) ?? []);
  return [
    ...malformed.map((p) => `--regions: ${p}. ${REGION_FORM}`),
    ...unknown.map((p) => `--regions: ${p}. Check the spelling, or pass ${ALLOW_UNKNOWN_REGION_FLAG} for a region newer than the list`),
    ...duplicates(names).map((d) => `--regions: "${d}" is listed more than once`),
    ...(names.length > MAX_REGIONS ? [`--regions: at most ${MAX_REGIONS} regions fit the 10.0.0.0/8 VPC plan (one /16 block of 16 each)`] : []),
    ...spec.regions.flatMap((r) => cidrProblem(r, spec.regions) ?? []).map((p) => `--regions: ${p}`),
  ];
}

/**
 * Every OpenTofu directory the spec makes: roots, shared modules and (hybrid) service modules.
 * Each becomes an Nx project, a CI job and (http backend) a GitLab state named by projectNameOf.
 */
export function tofuDirectories(spec: Spec): string[] {
  const services = layoutOf(spec).services ? spec.services.map((s) => `services/${s}/modules/stack`) : [];
  return [...rootsOf(spec).map((r) => r.path), ...spec.modules.map((m) => `modules/${m}`), ...services];
}

/** Two directories whose names map to one Nx project / CI job / GitLab state name (services/a/envs/b-c and services/a-envs-b/envs/c). */
function projectNameProblems(spec: Spec): string[] {
  const byName = new Map<string, string[]>();
  for (const dir of tofuDirectories(spec)) byName.set(projectNameOf(dir), [...(byName.get(projectNameOf(dir)) ?? []), dir]);
  return [...byName]
    .filter(([, dirs]) => dirs.length > 1)
    .map(
      ([name, dirs]) =>
        `--envs/--services: ${dirs.join(' and ')} would both be named "${name}" (Nx project, CI job and state name: '/' becomes '-'). Rename an environment or service so that no two paths map to one name`,
    );
}

function serviceProblems(spec: Spec): string[] {
  return layoutOf(spec).services ? nameListProblems('service', 'services', spec.services) : [];
}

function moduleProblems(spec: Spec): string[] {
  if (spec.modules.includes('network')) return [];
  return spec.modules.map((m) => `--modules ${m} runs inside the network module's VPC: add network (e.g. --modules network,${m})`);
}

/** A code owner as GitHub and GitLab read it: @user, @org/team (GitLab: @group/subgroup) or an e-mail address. */
const OWNER = /^(@[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

function ownerProblems(spec: Spec): string[] {
  return spec.owners
    .filter((o) => !OWNER.test(o))
    .map((o) => `--owners "${o}" is not a code owner. Use @user, @org/team or an e-mail address, comma-separated (e.g. @acme/platform)`);
}

/** GitHub owner/name: the owner as GitHub allows it, the repository name letters, digits, '.', '_', '-'. */
const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** A GitLab project path: a group, optional subgroups, the project. */
const GITLAB_PROJECT = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)+$/;
/** A host name (optionally :port), no scheme or path. */
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;

/** The repositories the CI roles trust: well-formed, and only for a chosen CI whose identities bootstrap creates. */
function identityProblems(spec: Spec): string[] {
  const problems: string[] = [];
  const needsBootstrap = (flag: string) =>
    backendOf(spec).bootstrap === undefined && keyProviderOf(spec.keyProvider).bootstrap === undefined
      ? [`${flag} needs the bootstrap stack, which creates the CI roles: use --backend s3 or --key-provider aws_kms`]
      : [];
  if (spec.githubRepo !== undefined) {
    if (!GITHUB_REPO.test(spec.githubRepo)) problems.push(`--github-repo "${spec.githubRepo}" is not a GitHub repository. Use owner/name (e.g. acme/infra)`);
    if (!spec.ci.includes('github'))
      problems.push('--github-repo only applies with GitHub pipelines. Add github to --ci (e.g. --ci github), or drop --github-repo');
    problems.push(...needsBootstrap('--github-repo'));
  }
  if (spec.gitlabProject !== undefined) {
    if (!GITLAB_PROJECT.test(spec.gitlabProject)) {
      problems.push(`--gitlab-project "${spec.gitlabProject}" is not a GitLab project path. Use group/project or group/subgroup/project (e.g. acme/infra)`);
    }
    if (!spec.ci.includes('gitlab'))
      problems.push('--gitlab-project only applies with GitLab pipelines. Add gitlab to --ci (e.g. --ci gitlab), or drop --gitlab-project');
    problems.push(...needsBootstrap('--gitlab-project'));
  }
  // IAM role names (bootstrap/ci-identities.tf) are at most 64 characters.
  for (const ci of [spec.githubRepo !== undefined ? 'github' : undefined, spec.gitlabProject !== undefined ? 'gitlab' : undefined]) {
    if (ci === undefined) continue;
    for (const env of layoutOf(spec).stateEnvironments(spec)) {
      const role = `${spec.name}-tofu-${ci}-apply-${env}`;
      if (role.length > 64) problems.push(`the IAM role name "${role}" is ${role.length} characters; AWS allows 64. Use a shorter --name or environment name`);
    }
  }
  if (spec.gitlabHost !== undefined && !HOST.test(spec.gitlabHost)) {
    problems.push(`--gitlab-host "${spec.gitlabHost}" is not a host name. Use the host alone, without https:// or a path (e.g. gitlab.example.com)`);
  }
  return problems;
}

/**
 * --accounts: one well-formed account for every environment that owns state (the hybrid layout's
 * shared root too), none for a name that is not one. Only where bootstrap creates each
 * environment's state in its account (s3) and each environment has roots of its own (not the
 * workspace layout, whose one root and one bucket serve every environment).
 */
function accountProblems(spec: Spec): string[] {
  if (spec.accounts === undefined) return [];
  const problems: string[] = [];
  if (spec.backend !== 's3') {
    problems.push(
      `--accounts needs --backend s3 (got --backend ${spec.backend}): bootstrap creates each environment's state bucket in its own account. Use --backend s3, or drop --accounts`,
    );
  }
  if (spec.layout === 'workspace') {
    problems.push(
      '--accounts needs one root per environment (--layout directory or hybrid): the workspace layout keeps every environment in one root and one bucket. Use --layout directory, or drop --accounts',
    );
  }
  const stateEnvs = layoutOf(spec).stateEnvironments(spec);
  const missing = stateEnvs.filter((env) => !(env in spec.accounts!));
  if (missing.length > 0) {
    problems.push(
      `--accounts names no account for ${missing.join(', ')}: every environment${stateEnvs.length > spec.envs.length ? ` (and ${stateEnvs.filter((e) => !spec.envs.includes(e)).join(', ')}, the shared root's state)` : ''} needs one. ${ACCOUNTS_FORM}`,
    );
  }
  for (const env of Object.keys(spec.accounts).filter((env) => !stateEnvs.includes(env))) {
    problems.push(`--accounts names "${env}", which is not an environment (environments: ${stateEnvs.join(', ')}). ${ACCOUNTS_FORM}`);
  }
  for (const [env, id] of Object.entries(spec.accounts)) {
    const p = checkAccountId(id);
    if (p) problems.push(`--accounts ${env}: ${p}. ${ACCOUNTS_FORM}`);
  }
  return problems;
}

function prefixProblems(spec: Spec): string[] {
  const p = checkName('--name', spec.name);
  return p ? [`${p}. ${NAME_FORM} (e.g. acme)`] : [];
}

/** The rules on what the user typed; `name` false when the name could not be derived (already a problem). */
export function choiceProblems(spec: Spec, opts: CheckOptions & { name?: boolean } = {}): string[] {
  const names = [...environmentProblems(spec), ...serviceProblems(spec)];
  return [
    ...names,
    ...(names.length === 0 ? projectNameProblems(spec) : []),
    ...regionProblems(spec, opts),
    ...moduleProblems(spec),
    ...ownerProblems(spec),
    ...identityProblems(spec),
    ...accountProblems(spec),
    ...(opts.name !== false ? prefixProblems(spec) : []),
  ];
}

/** The rules the chosen features set on the names they create (bucket names, key aliases), per environment that owns state. */
export function featureNameProblems(spec: Spec): string[] {
  const stateEnvs = layoutOf(spec).stateEnvironments(spec);
  return [...backendOf(spec).nameProblems(spec, stateEnvs), ...keyProviderOf(spec.keyProvider).nameProblems(spec, stateEnvs)];
}

/**
 * Everything create-tofu-infra refuses about a spec, each problem with the valid form; empty when
 * it is fine. The CLI runs it on the choices it resolved, the Nx generators on the spec they are
 * about to render (a new environment or region), so both refuse the same things.
 */
export function checkSpec(spec: Spec, opts: CheckOptions = {}): string[] {
  const problems = choiceProblems(spec, opts);
  return [...new Set(problems.length > 0 ? problems : featureNameProblems(spec))];
}
