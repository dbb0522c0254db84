import { BACKENDS, backendOf } from '../features/backends/index.js';
import { CI_TARGETS } from '../features/ci/index.js';
import { KEY_PROVIDERS } from '../features/key-providers/index.js';
import { LAYOUTS, layoutOf } from '../features/layouts/index.js';
import { UsageError } from '../spec/errors.js';
import { parseAccounts } from '../spec/accounts.js';
import { duplicates, nameFromDirectory } from '../spec/name-rules.js';
import { DEFAULTS, LOCKS, MODULES, type LockKind, type ModuleName } from '../spec/options.js';
import { MAX_REGIONS, regionSpecs } from '../spec/regions.js';
import type { Spec } from '../spec/spec.js';
import { choiceProblems, featureNameProblems, type CheckOptions } from './check.js';

/** Choices as typed on the command line or answered at a prompt: strings, not yet checked. */
export interface RawChoices {
  layout?: string | undefined;
  envs?: string | undefined;
  regions?: string | undefined;
  services?: string | undefined;
  modules?: string | undefined;
  backend?: string | undefined;
  lock?: string | undefined;
  keyProvider?: string | undefined;
  ci?: string | undefined;
  name?: string | undefined;
  owners?: string | undefined;
  githubRepo?: string | undefined;
  gitlabProject?: string | undefined;
  gitlabHost?: string | undefined;
  accounts?: string | undefined;
}

const list = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((v) => v.trim()));

function oneOf<T extends string>(flag: string, value: string | undefined, valid: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined) return fallback;
  if ((valid as readonly string[]).includes(value)) return value as T;
  problems.push(`--${flag} "${value}" is not valid. Valid values: ${valid.join(', ')}`);
  return fallback;
}

/** --lock, for backends that take one (s3); a problem when given to one that does not. */
function lockOf(raw: RawChoices, backend: string, problems: string[]): LockKind | undefined {
  if (backendOf({ backend }).locks) return oneOf<LockKind>('lock', raw.lock, LOCKS, DEFAULTS.lock, problems);
  if (raw.lock !== undefined) {
    const withLocks = BACKENDS.filter((b) => backendOf({ backend: b }).locks).join('|');
    problems.push(
      `--lock only applies to --backend ${withLocks} (got --backend ${backend}). Drop --lock, or use --backend ${withLocks} with --lock ${LOCKS.join('|')}`,
    );
  }
  return undefined;
}

function servicesOf(raw: RawChoices, layout: string, problems: string[]): string[] {
  if (layoutOf({ layout }).services) return list(raw.services) ?? [...DEFAULTS.services];
  if (raw.services !== undefined) {
    const withServices = LAYOUTS.filter((l) => layoutOf({ layout: l }).services).join('|');
    problems.push(`--services only applies to --layout ${withServices} (got --layout ${layout}). Drop --services, or use --layout ${withServices}`);
  }
  return [];
}

function modulesOf(raw: RawChoices, problems: string[]): ModuleName[] {
  const given = list(raw.modules);
  if (given !== undefined && given.every((m) => m === '')) {
    problems.push(`--modules is empty: name at least one. Valid modules: ${MODULES.join(', ')} (comma-separated)`);
    return [];
  }
  const modules = (given ?? [...DEFAULTS.modules]).filter((m) => {
    if ((MODULES as readonly string[]).includes(m)) return true;
    problems.push(`--modules "${m}" is not a module. Valid modules: ${MODULES.join(', ')} (comma-separated)`);
    return false;
  }) as ModuleName[];
  for (const d of duplicates(modules)) problems.push(`--modules: "${d}" is listed more than once`);
  return MODULES.filter((m) => modules.includes(m));
}

function ciTargetsOf(value: string | undefined, problems: string[]): string[] {
  const targets = list(value) ?? [...CI_TARGETS];
  if (targets.length === 1 && targets[0] === 'none') return [];
  for (const t of targets.filter((t) => !(CI_TARGETS as string[]).includes(t))) {
    problems.push(
      t === 'none'
        ? '--ci none cannot be combined with other CI targets'
        : `--ci "${t}" is not valid. Valid values: ${CI_TARGETS.join(',')} (comma-separated) or none`,
    );
  }
  for (const d of duplicates(targets)) problems.push(`--ci: "${d}" is listed more than once`);
  return CI_TARGETS.filter((t) => targets.includes(t));
}

function regionNamesOf(raw: RawChoices, problems: string[]): string[] {
  const names = list(raw.regions) ?? [...DEFAULTS.regions];
  if (names.length <= MAX_REGIONS) return names;
  problems.push(`--regions: ${names.length} regions given; at most ${MAX_REGIONS} fit the 10.0.0.0/8 VPC plan (a block of 16 /16s each)`);
  return names.slice(0, MAX_REGIONS);
}

/** Every field read from the raw choices (unknown values fall back to defaults, with a problem each). */
function candidateOf(raw: RawChoices, ctx: { directoryName: string; generatorVersion: string }, problems: string[]): Spec {
  const layout = oneOf('layout', raw.layout, LAYOUTS as string[], DEFAULTS.layout, problems);
  const backend = oneOf('backend', raw.backend, BACKENDS as string[], DEFAULTS.backend, problems);
  const keyProvider = oneOf('key-provider', raw.keyProvider, KEY_PROVIDERS as string[], DEFAULTS.keyProvider, problems);
  const lock = lockOf(raw, backend, problems);
  const envs = list(raw.envs) ?? [...DEFAULTS.envs];
  const regions = regionSpecs(regionNamesOf(raw, problems));
  const services = servicesOf(raw, layout, problems);
  const modules = modulesOf(raw, problems);
  const ci = ciTargetsOf(raw.ci, problems);
  const owners = list(raw.owners) ?? [...DEFAULTS.owners];
  const name = raw.name ?? nameFromDirectory(ctx.directoryName);
  if (name === undefined) {
    problems.push(
      `cannot derive a name prefix from the directory "${ctx.directoryName}": pass --name (lowercase letters, digits and hyphens, e.g. --name acme)`,
    );
  }
  const identities = {
    ...(raw.githubRepo !== undefined ? { githubRepo: raw.githubRepo } : {}),
    ...(raw.gitlabProject !== undefined ? { gitlabProject: raw.gitlabProject, gitlabHost: raw.gitlabHost ?? DEFAULTS.gitlabHost } : {}),
  };
  if (raw.gitlabHost !== undefined && raw.gitlabProject === undefined) {
    problems.push(`--gitlab-host only applies with --gitlab-project (the project whose pipelines the GitLab roles trust). Add --gitlab-project group/project`);
  }
  const accounts = raw.accounts === undefined ? undefined : parseAccounts(raw.accounts);
  problems.push(...(accounts?.problems ?? []));
  return {
    name: name ?? '',
    layout,
    envs,
    regions,
    services,
    modules,
    backend,
    lock,
    keyProvider,
    ci,
    owners,
    ...identities,
    ...(accounts ? { accounts: accounts.accounts } : {}),
    generatorVersion: ctx.generatorVersion,
  };
}

/**
 * Resolves raw choices into a checked Spec (see checkSpec), or throws a UsageError listing every
 * problem with the valid forms. Pure: no I/O happens here.
 */
export function resolveSpec(raw: RawChoices, ctx: { directoryName: string; generatorVersion: string } & CheckOptions): Spec {
  const problems = specProblems(raw, ctx);
  if (problems.problems.length > 0) throw new UsageError(problems.problems);
  return problems.spec;
}

/** resolveSpec without the throw: the candidate spec and every problem with it (none: it is checked). Prompts validate each answer with it. */
export function specProblems(raw: RawChoices, ctx: { directoryName: string; generatorVersion: string } & CheckOptions): { spec: Spec; problems: string[] } {
  const problems: string[] = [];
  const spec = candidateOf(raw, ctx, problems);
  problems.push(...choiceProblems(spec, { ...ctx, name: spec.name !== '' }));
  if (problems.length === 0) problems.push(...featureNameProblems(spec));
  return { spec, problems: [...new Set(problems)] };
}
