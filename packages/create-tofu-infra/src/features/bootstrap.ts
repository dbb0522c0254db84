import { jsonFile, renderFolder } from '../engine/files.js';
import type { Templates } from '../engine/templates.js';
import type { GeneratedFile, RootPlan, Spec } from '../spec/spec.js';
import { backendOf } from './backends/index.js';
import { keyProviderOf } from './key-providers/index.js';
import { layoutOf, readStateEnvironments } from './layouts/index.js';
import { ACCOUNT_ROLE } from '../spec/accounts.js';
import { DEFAULTS } from '../spec/options.js';
import { VERSIONS, type VersionsData } from './roots/aws-root.js';

export const BOOTSTRAP_ROOT: RootPlan = { path: 'bootstrap', kind: 'bootstrap', stateEnv: undefined };

/** The machine-owned list of what bootstrap/ creates per environment (nx g add-environment adds to it). */
export const BOOTSTRAP_ENVIRONMENTS_FILE = `${BOOTSTRAP_ROOT.path}/environments.auto.tfvars.json`;

/**
 * The key of BOOTSTRAP_ENVIRONMENTS_FILE (var.retired_accounts, --accounts only) that keeps a
 * dropped environment's account, and with it bootstrap's provider instance there, until an apply
 * has destroyed what bootstrap created in it.
 */
export const RETIRED_ACCOUNTS_KEY = 'retired_accounts';

/** The resources of one state bucket in templates/bootstrap/main.tf.hbs (all `for_each = local.buckets`, keyed by bucket name). */
const BUCKET_RESOURCES = [
  'aws_s3_bucket',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
];

/**
 * The addresses of a state bucket and its settings in bootstrap's state. The bucket has
 * prevent_destroy, so an apply cannot delete a dropped environment's: `tofu state rm` of these
 * leaves it in its account, unchanged, with its state history.
 */
export function bootstrapBucketAddresses(bucket: string): string[] {
  return BUCKET_RESOURCES.map((type) => `${type}.state[${JSON.stringify(bucket)}]`);
}

/** The attributes of var.environments in templates/bootstrap/variables.tf.hbs, in their order there (others follow). */
const ENTRY_ATTRIBUTES = ['bucket', 'state_prefix', 'kms_alias', 'lock_table', 'ci_policy', 'reads', 'account_id'];

/** Template data of templates/bootstrap/. */
export interface BootstrapData extends VersionsData {
  project: string;
  region: string;
  lockTables: boolean;
  /** This stack's own state (state-home.tf.example): names no environment's can take, as env names start with a letter. */
  homeBucket: string;
  homeKmsAlias: string;
  /** Per chosen CI system, the repository its roles trust (terraform.tfvars; commented out when not given). */
  github: { repository: string | undefined } | false;
  gitlab: { project: string | undefined; host: string } | false;
  /** Each environment in its own account (--accounts): providers per account, objects created there. */
  accounts: boolean;
  /** The key of this stack's own account among the per-account providers: no environment's name, as those start with a letter. */
  home: string;
  /** The default of var.account_role_name. */
  accountRole: string;
  /** With --accounts, some root reads another environment's state (hybrid: shared/): its CI roles need reader roles there (templates/bootstrap-readers). */
  readers: boolean;
}

/** The bootstrap stack is AWS: it exists when the backend or the key provider has AWS objects it creates. */
export function bootstrapNeeded(spec: Spec): boolean {
  return backendOf(spec).bootstrap !== undefined || keyProviderOf(spec.keyProvider).bootstrap !== undefined;
}

/** One environment's entry of bootstrap/environments.auto.tfvars.json: what the backend and key provider need, and a CI policy. */
export function bootstrapEnvironment(spec: Spec, env: string): Record<string, string | string[]> {
  const reads = layoutOf(spec).remoteStateReads?.(spec, env) ?? [];
  const entry: Record<string, string | string[]> = {
    ...backendOf(spec).bootstrap?.(spec, env),
    ...keyProviderOf(spec.keyProvider).bootstrap?.(spec, env),
    ci_policy: `${spec.name}-tofu-ci-${env}`,
    // Roots that read another environment's state: their CI policy must read it too.
    ...(reads.length ? { reads } : {}),
    ...(spec.accounts?.[env] !== undefined ? { account_id: spec.accounts[env] } : {}),
  };
  const rank = (name: string) => (ENTRY_ATTRIBUTES.includes(name) ? ENTRY_ATTRIBUTES.indexOf(name) : ENTRY_ATTRIBUTES.length);
  return Object.fromEntries(Object.entries(entry).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Whether the bootstrap stack creates lock tables (the backend asked for them). */
export function bootstrapLockTables(spec: Spec): boolean {
  return 'lock_table' in bootstrapEnvironment(spec, spec.envs[0]!);
}

/** Bootstrap's own state: a bucket and key no environment's can take, as environment names start with a letter. */
export function bootstrapHome(spec: Spec): { homeBucket: string; homeKmsAlias: string } {
  return { homeBucket: `${spec.name}-tofu-bootstrap-state`, homeKmsAlias: `alias/opentofu-bootstrap-${spec.name}` };
}

export function bootstrapFiles(spec: Spec, t: Templates): GeneratedFile[] {
  if (!bootstrapNeeded(spec)) return [];
  const data: BootstrapData = {
    project: spec.name,
    region: spec.regions[0]!.name,
    lockTables: bootstrapLockTables(spec),
    ...bootstrapHome(spec),
    github: spec.ci.includes('github') && { repository: spec.githubRepo },
    gitlab: spec.ci.includes('gitlab') && { project: spec.gitlabProject, host: spec.gitlabHost ?? DEFAULTS.gitlabHost },
    accounts: spec.accounts !== undefined,
    home: '_bootstrap',
    accountRole: ACCOUNT_ROLE,
    readers: spec.accounts !== undefined && readStateEnvironments(spec).length > 0,
    ...VERSIONS,
  };
  return [
    ...renderFolder(t, 'bootstrap', BOOTSTRAP_ROOT.path, data),
    ...(data.readers ? renderFolder(t, 'bootstrap-readers', BOOTSTRAP_ROOT.path, data) : []),
    { path: `${BOOTSTRAP_ROOT.path}/versions.tf`, content: t.render('roots/base/versions.tf.hbs', data) },
    jsonFile(BOOTSTRAP_ENVIRONMENTS_FILE, {
      environments: Object.fromEntries(
        layoutOf(spec)
          .stateEnvironments(spec)
          .map((env) => [env, bootstrapEnvironment(spec, env)]),
      ),
    }),
  ];
}
