import { backends } from '../features/backends/index.js';
import type { RootPlan } from '../features/types.js';
import { AWS_PROVIDER_CONSTRAINT, MODULES, REQUIRED_TOFU, type ModuleName } from '../spec/options.js';
import type { GeneratedFile, RegionSpec, Spec } from '../spec/spec.js';
import { encryptionFile, type EncryptionTransition, type RemoteStateRead } from './encryption.js';
import { renderFolder } from './files.js';
import type { Templates } from './templates.js';

/** Relative path from a root back to the repository top, e.g. "../.." for environments/dev. */
export function upToTop(path: string): string {
  return path === '.' ? '.' : path.split('/').map(() => '..').join('/');
}

export function moduleFlags(modules: readonly ModuleName[]): Record<ModuleName, boolean> {
  return Object.fromEntries(MODULES.map((m) => [m, modules.includes(m)])) as Record<ModuleName, boolean>;
}

/** regions.auto.tfvars.json: the machine-edited region settings of one environment. */
export function regionsValue(regions: RegionSpec[]) {
  return {
    primary_region: regions[0]!.name,
    regions: Object.fromEntries(regions.map((r) => [r.name, { enabled: true, vpc_cidr: r.vpcCidr }])),
  };
}

export interface AwsRootOptions {
  /** Template folders under roots/ rendered into the root, after roots/base. */
  folders: string[];
  data: object;
  /** Environment whose backend and key this root uses; undefined in the workspace layout. */
  env: string | undefined;
  reads?: RemoteStateRead[];
  /** Expressions for providers.tf. */
  primaryRegionExpr?: string;
  providerRegionsExpr?: string;
  /** The root declares environment/primary_region/regions itself (the workspace root derives them). */
  environmentVariable?: boolean;
  /** A key change in progress (see encryptionFile). */
  encryption?: EncryptionTransition | undefined;
}

/** Every file of one AWS root: its own templates, versions, providers, variables, backend and encryption. */
export function renderAwsRoot(t: Templates, spec: Spec, root: RootPlan, opts: AwsRootOptions): GeneratedFile[] {
  const data = {
    project: spec.name,
    modules: moduleFlags(spec.modules),
    requiredTofu: REQUIRED_TOFU,
    awsConstraint: AWS_PROVIDER_CONSTRAINT,
    primaryRegionExpr: opts.primaryRegionExpr ?? 'var.primary_region',
    providerRegionsExpr: opts.providerRegionsExpr ?? 'var.regions',
    environmentVariable: opts.environmentVariable ?? true,
    ...opts.data,
  };
  const stateEnv = opts.env ?? spec.envs[0]!;
  return [
    ...['base', ...opts.folders].flatMap((folder) => renderFolder(t, `roots/${folder}`, root.path, data)),
    { path: `${root.path}/backend.tf`, content: backends[spec.backend].backendBlock(t, { spec, root, env: stateEnv }) },
    ...encryptionFile(t, spec, root, opts.env, opts.reads, opts.encryption),
  ];
}

