/** Every choice create-tofu-infra offers, as data. Flags, prompts, validation and help text read these lists. */

export const LAYOUTS = ['workspace', 'directory', 'hybrid'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const BACKENDS = ['s3', 'gcs', 'scaleway', 'http', 'local'] as const;
export type BackendKind = (typeof BACKENDS)[number];

export const LOCKS = ['lockfile', 'dynamodb', 'both'] as const;
export type LockKind = (typeof LOCKS)[number];

export const KEY_PROVIDERS = ['pbkdf2', 'aws_kms', 'gcp_kms', 'openbao', 'none'] as const;
export type KeyProviderKind = (typeof KEY_PROVIDERS)[number];

export const CI_TARGETS = ['gitlab', 'github'] as const;
export type CiTarget = (typeof CI_TARGETS)[number];

export const MODULES = ['network', 'database', 'application'] as const;
export type ModuleName = (typeof MODULES)[number];

export const DEFAULTS = {
  layout: 'directory',
  envs: ['dev', 'staging', 'prod'],
  regions: ['eu-west-1'],
  services: ['app'],
  modules: [...MODULES],
  backend: 's3',
  lock: 'lockfile',
  keyProvider: 'aws_kms',
  ci: [...CI_TARGETS],
} as const satisfies {
  layout: Layout;
  envs: readonly string[];
  regions: readonly string[];
  services: readonly string[];
  modules: readonly ModuleName[];
  backend: BackendKind;
  lock: LockKind;
  keyProvider: KeyProviderKind;
  ci: readonly CiTarget[];
};

/** The lowest tofu the generated code accepts: S3 `use_lockfile` needs 1.10 (provider for_each 1.9). */
export const REQUIRED_TOFU = '>= 1.10.0';
/** The provider constraint generated roots and modules declare. */
export const AWS_PROVIDER_CONSTRAINT = '~> 6.0';
