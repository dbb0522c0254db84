import {
  BACKENDS,
  CI_TARGETS,
  DEFAULTS,
  KEY_PROVIDERS,
  LAYOUTS,
  LOCKS,
  MODULES,
  type BackendKind,
  type CiTarget,
  type KeyProviderKind,
  type Layout,
  type LockKind,
  type ModuleName,
} from './options.js';
import { checkBucketName, checkKmsAlias, checkName, checkRegion, duplicates, nameFromDirectory } from './names.js';
import { naming } from './naming.js';
import { UsageError } from './errors.js';
import type { RegionSpec, Spec } from './spec.js';

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
}

const list = (value: string | undefined) =>
  value === undefined ? undefined : value.split(',').map((v) => v.trim());

function oneOf<T extends string>(flag: string, value: string | undefined, valid: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined) return fallback;
  if ((valid as readonly string[]).includes(value)) return value as T;
  problems.push(`--${flag} "${value}" is not valid. Valid values: ${valid.join(', ')}`);
  return fallback;
}

function names(kind: string, flag: string, values: string[], problems: string[]): string[] {
  const found = values.map((v) => checkName(kind, v)).filter((p): p is string => p !== undefined);
  for (const p of found) problems.push(`--${flag}: ${p}. Use lowercase letters, digits and single hyphens, starting with a letter (e.g. dev, staging, prod-eu)`);
  for (const d of duplicates(values)) problems.push(`--${flag}: "${d}" is listed more than once`);
  return values;
}

/** The first region is the primary one; each gets a /16 of its own that later additions never renumber. */
export function regionSpecs(regions: string[]): RegionSpec[] {
  return regions.map((name, i) => ({ name, vpcCidr: `10.${i * 16}.0.0/16` }));
}

/**
 * Resolves raw choices into a validated Spec, or throws a UsageError listing every problem with
 * the valid forms. Pure: no I/O happens here.
 */
export function resolveSpec(raw: RawChoices, ctx: { directoryName: string; generatorVersion: string }): Spec {
  const problems: string[] = [];

  const layout = oneOf<Layout>('layout', raw.layout, LAYOUTS, DEFAULTS.layout, problems);
  const backend = oneOf<BackendKind>('backend', raw.backend, BACKENDS, DEFAULTS.backend, problems);
  const keyProvider = oneOf<KeyProviderKind>('key-provider', raw.keyProvider, KEY_PROVIDERS, DEFAULTS.keyProvider, problems);

  let lock: LockKind | undefined;
  if (backend === 's3') {
    lock = oneOf<LockKind>('lock', raw.lock, LOCKS, DEFAULTS.lock, problems);
  } else if (raw.lock !== undefined) {
    problems.push(`--lock only applies to --backend s3 (got --backend ${backend}). Drop --lock, or use --backend s3 with --lock ${LOCKS.join('|')}`);
  }

  const envs = names('environment', 'envs', list(raw.envs) ?? [...DEFAULTS.envs], problems);
  if (layout === 'workspace' && envs.includes('default')) {
    problems.push('--envs: "default" cannot be an environment in the workspace layout: it is the workspace tofu starts in, and an apply there must never hit a real environment. Pick another name (e.g. dev)');
  }

  const regionNames = list(raw.regions) ?? [...DEFAULTS.regions];
  for (const r of regionNames) {
    const p = checkRegion(r);
    if (p) problems.push(`--regions: ${p}. Use AWS region names, comma-separated, primary first (e.g. eu-west-1,eu-central-1)`);
  }
  for (const d of duplicates(regionNames)) problems.push(`--regions: "${d}" is listed more than once`);

  let services: string[] = [];
  if (layout === 'hybrid') {
    services = names('service', 'services', list(raw.services) ?? [...DEFAULTS.services], problems);
  } else if (raw.services !== undefined) {
    problems.push(`--services only applies to --layout hybrid (got --layout ${layout}). Drop --services, or use --layout hybrid`);
  }

  const modules = (list(raw.modules) ?? [...DEFAULTS.modules]).filter((m) => {
    if ((MODULES as readonly string[]).includes(m)) return true;
    problems.push(`--modules "${m}" is not a module. Valid modules: ${MODULES.join(', ')} (comma-separated)`);
    return false;
  }) as ModuleName[];
  for (const d of duplicates(modules)) problems.push(`--modules: "${d}" is listed more than once`);
  if (modules.length === 0 && raw.modules !== undefined) problems.push(`--modules is empty. Valid modules: ${MODULES.join(', ')}`);
  for (const m of modules.filter((m) => m !== 'network')) {
    if (!modules.includes('network')) problems.push(`--modules ${m} runs inside the network module's VPC: add network (e.g. --modules network,${m})`);
  }

  const ci = ciTargets(raw.ci, problems);

  const name = raw.name ?? nameFromDirectory(ctx.directoryName);
  if (name === undefined) {
    problems.push(`cannot derive a name prefix from the directory "${ctx.directoryName}": pass --name (lowercase letters, digits and hyphens, e.g. --name acme)`);
  } else {
    const p = checkName('--name', name);
    if (p) problems.push(`${p}. Use lowercase letters, digits and single hyphens, starting with a letter (e.g. acme)`);
  }

  if (problems.length === 0 && name !== undefined) {
    for (const env of envs) {
      const bucket = layout === 'workspace' ? naming.sharedStateBucket({ name }) : naming.stateBucket({ name }, env);
      if (backend === 's3' || backend === 'scaleway' || backend === 'gcs') {
        const p = checkBucketName(bucket);
        if (p) problems.push(`${p}: shorten --name or the environment name`);
      }
      if (keyProvider === 'aws_kms') {
        const p = checkKmsAlias(naming.kmsAlias({ name }, env));
        if (p) problems.push(p);
      }
    }
  }

  if (problems.length > 0) throw new UsageError([...new Set(problems)]);
  return {
    name: name as string,
    layout,
    envs,
    regions: regionSpecs(regionNames),
    services,
    modules: MODULES.filter((m) => modules.includes(m)),
    backend,
    lock,
    keyProvider,
    ci,
    generatorVersion: ctx.generatorVersion,
  };
}

function ciTargets(value: string | undefined, problems: string[]): CiTarget[] {
  const targets = list(value) ?? [...DEFAULTS.ci];
  if (targets.length === 1 && targets[0] === 'none') return [];
  const valid = targets.filter((t): t is CiTarget => (CI_TARGETS as readonly string[]).includes(t));
  for (const t of targets.filter((t) => !(CI_TARGETS as readonly string[]).includes(t))) {
    problems.push(t === 'none'
      ? '--ci none cannot be combined with other CI targets'
      : `--ci "${t}" is not valid. Valid values: ${CI_TARGETS.join(',')} (comma-separated) or none`);
  }
  for (const d of duplicates(targets)) problems.push(`--ci: "${d}" is listed more than once`);
  return CI_TARGETS.filter((t) => valid.includes(t));
}
