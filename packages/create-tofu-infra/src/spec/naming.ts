import type { Spec } from './spec.js';

/**
 * Names of the cloud objects a repository uses, in one place so that the bootstrap stack, the
 * backends, the key providers and the CI pipelines can never disagree.
 */
/** Inside the workspace layout's encryption block: the environment of the selected workspace. */
export const WORKSPACE_KEY_ENV = '${local.key_environment}';

export const naming = {
  stateBucket: (spec: Pick<Spec, 'name'>, env: string) => `${spec.name}-tofu-state-${env}`,
  /** The workspace layout keeps every environment in one bucket, under env:/<workspace>/. */
  sharedStateBucket: (spec: Pick<Spec, 'name'>) => `${spec.name}-tofu-state`,
  lockTable: (spec: Pick<Spec, 'name'>, env: string) => `${spec.name}-tofu-lock-${env}`,
  /** The workspace layout's one lock table: a backend block cannot vary by workspace, so all share it. */
  sharedLockTable: (spec: Pick<Spec, 'name'>) => `${spec.name}-tofu-lock`,
  kmsAlias: (spec: Pick<Spec, 'name'>, env: string) => `alias/opentofu-state-${spec.name}-${env}`,
  /** The bootstrap stack's own state: names no environment's can take (env names start with a letter). */
  bootstrapStateBucket: (spec: Pick<Spec, 'name'>) => `${spec.name}-tofu-bootstrap-state`,
  bootstrapKmsAlias: (spec: Pick<Spec, 'name'>) => `alias/opentofu-bootstrap-${spec.name}`,
  ciPolicy: (spec: Pick<Spec, 'name'>, env: string) => `${spec.name}-tofu-ci-${env}`,
  gcsBucket: (spec: Pick<Spec, 'name'>, env: string) => `${spec.name}-tofu-state-${env}`,
  openbaoKey: (spec: Pick<Spec, 'name'>, env: string) => `${spec.name}-opentofu-state-${env}`,
};
