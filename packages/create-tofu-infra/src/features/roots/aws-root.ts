import { renderFolder } from '../../engine/files.js';
import type { HclExpression } from '../../engine/hcl.js';
import type { Templates } from '../../engine/templates.js';
import { AWS_PROVIDER_CONSTRAINT, MODULES, REQUIRED_TOFU, type ModuleName } from '../../spec/options.js';
import type { EncryptionTransition, GeneratedFile, RootPlan, Spec } from '../../spec/spec.js';
import { backendOf } from '../backends/index.js';
import { accountData, type AccountData } from './accounts.js';
import { encryptionFile, type RemoteStateRead, type RootKey } from './encryption.js';

/** Relative path from a root back to the repository top, e.g. "../.." for environments/dev. */
export function upToTop(path: string): string {
  return path === '.'
    ? '.'
    : path
        .split('/')
        .map(() => '..')
        .join('/');
}

export type ModuleFlags = Record<ModuleName, boolean>;

export function moduleFlags(modules: readonly ModuleName[]): ModuleFlags {
  return Object.fromEntries(MODULES.map((m) => [m, modules.includes(m)])) as ModuleFlags;
}

/** Template data of versions.tf (roots/base/versions.tf.hbs), shared by every root and stack. */
export interface VersionsData {
  requiredTofu: string;
  awsConstraint: string;
}

export const VERSIONS: VersionsData = { requiredTofu: REQUIRED_TOFU, awsConstraint: AWS_PROVIDER_CONSTRAINT };

/** Template data of roots/base/ (versions, providers, variables); each layout adds its folders' own fields. */
export interface RootData extends VersionsData {
  project: string;
  modules: ModuleFlags;
  primaryRegion: HclExpression;
  providerRegions: HclExpression;
  /** The root declares environment/primary_region/regions itself (the workspace root derives them). */
  environmentVariable: boolean;
  /** The environment's own account (--accounts), or false: the caller's. */
  account: AccountData | false;
}

export interface AwsRootOptions<Data> {
  /** Template folders under roots/ rendered into the root, after roots/base. */
  folders: string[];
  /** Fields of those folders' templates, on top of RootData. */
  data: Data;
  /** Whose backend and key this root uses. */
  key: RootKey;
  reads?: RemoteStateRead[];
  /** Workspace layout: the root derives its region settings from one variable per environment. */
  workspaceRegions?: boolean;
  /** A key change in progress (see encryptionFile). */
  encryption?: EncryptionTransition | undefined;
}

function rootData(spec: Spec, env: string | undefined, workspaceRegions: boolean): RootData {
  return {
    account: accountData(spec, env),
    project: spec.name,
    modules: moduleFlags(spec.modules),
    ...VERSIONS,
    primaryRegion: { expr: workspaceRegions ? 'local.primary_region' : 'var.primary_region' },
    providerRegions: { expr: workspaceRegions ? 'local.all_regions' : 'var.regions' },
    environmentVariable: !workspaceRegions,
  };
}

/** Every file of one AWS root: its own templates, versions, providers, variables, backend and encryption. */
export function renderAwsRoot<Data extends object>(t: Templates, spec: Spec, root: RootPlan, opts: AwsRootOptions<Data>): GeneratedFile[] {
  const data = { ...rootData(spec, opts.key.env, opts.workspaceRegions ?? false), ...opts.data };
  const backend = backendOf(spec);
  const state = { spec, root, env: opts.key.env ?? spec.envs[0]! };
  return [
    ...['base', ...opts.folders].flatMap((folder) => renderFolder(t, `roots/${folder}`, root.path, data)),
    { path: `${root.path}/backend.tf`, content: t.render(`backends/${spec.backend}.tf.hbs`, backend.data(state)) },
    ...encryptionFile(t, spec, root, opts.key, opts.reads ?? [], opts.encryption),
  ];
}
