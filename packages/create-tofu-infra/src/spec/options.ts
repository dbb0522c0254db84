/**
 * The choices that are not features, as data. The feature kinds (layouts, backends, key
 * providers, CI targets) are the keys of their tables under features/.
 */

export const LOCKS = ['lockfile', 'dynamodb', 'both'] as const;
export type LockKind = (typeof LOCKS)[number];

/** What each lock kind is, in one line (the prompt shows it beside the choice). */
export const LOCK_HINTS: Record<LockKind, string> = {
  lockfile: 'a lock file next to the state in the bucket (S3 conditional writes; nothing else to create)',
  dynamodb: 'a DynamoDB table per environment (the older way; bootstrap/ creates it)',
  both: 'both at once, while moving from DynamoDB to the lock file',
};

export const MODULES = ['network', 'database', 'application'] as const;
export type ModuleName = (typeof MODULES)[number];

/** What a run chooses when neither a flag nor a prompt says otherwise (--ci defaults to every CI target). */
export const DEFAULTS = {
  layout: 'directory',
  envs: ['dev', 'staging', 'prod'],
  regions: ['eu-west-1'],
  services: ['app'],
  modules: [...MODULES],
  backend: 's3',
  lock: 'lockfile',
  keyProvider: 'aws_kms',
  /** A placeholder CODEOWNERS says to replace. */
  owners: ['@your-org/platform-team'],
  /** The GitLab instance whose ID tokens the GitLab roles trust, unless --gitlab-host names a self-managed one. */
  gitlabHost: 'gitlab.com',
} as const satisfies {
  layout: string;
  envs: readonly string[];
  regions: readonly string[];
  services: readonly string[];
  modules: readonly ModuleName[];
  backend: string;
  lock: LockKind;
  keyProvider: string;
  owners: readonly string[];
  gitlabHost: string;
};

/** The lowest tofu the generated code accepts: S3 `use_lockfile` needs 1.10 (provider for_each 1.9). */
export const REQUIRED_TOFU = '>= 1.10.0';
/** The provider constraint generated roots and modules declare. */
export const AWS_PROVIDER_CONSTRAINT = '~> 6.0';
