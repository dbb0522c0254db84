import { jsonFile, renderFolder } from '../render/files.js';
import type { Templates } from '../render/templates.js';
import { AWS_PROVIDER_CONSTRAINT, REQUIRED_TOFU } from '../spec/options.js';
import { naming } from '../spec/naming.js';
import type { GeneratedFile, Spec } from '../spec/spec.js';
import { SHARED_ENV } from './layouts/hybrid.js';
import type { RootPlan } from './types.js';

export const BOOTSTRAP_ROOT: RootPlan = { path: 'bootstrap', kind: 'bootstrap', stateEnv: undefined };

/** The bootstrap stack is AWS: it exists when state lives in S3 or keys live in AWS KMS. */
export function bootstrapNeeded(spec: Spec): boolean {
  return spec.backend === 's3' || spec.keyProvider === 'aws_kms';
}

/** Environments that own state: every environment, plus the hybrid layout's shared root. */
export function stateEnvironments(spec: Spec): string[] {
  return spec.layout === 'hybrid' ? [SHARED_ENV, ...spec.envs] : [...spec.envs];
}

/** One environment's entry of bootstrap/environments.auto.tfvars.json. */
export function bootstrapEnvironment(spec: Spec, env: string) {
  const s3 = spec.backend === 's3';
  const workspaceLayout = spec.layout === 'workspace';
  const lock = s3 && (spec.lock === 'dynamodb' || spec.lock === 'both');
  return {
    ...(s3 ? { bucket: workspaceLayout ? naming.sharedStateBucket(spec) : naming.stateBucket(spec, env) } : {}),
    // In the workspace layout all environments share one bucket, each under env:/<workspace>/.
    ...(s3 && workspaceLayout ? { state_prefix: `env:/${env}/` } : {}),
    ...(spec.keyProvider === 'aws_kms' ? { kms_alias: naming.kmsAlias(spec, env) } : {}),
    // The workspace layout's backend block is one for all workspaces, so is its lock table.
    ...(lock ? { lock_table: workspaceLayout ? naming.sharedLockTable(spec) : naming.lockTable(spec, env) } : {}),
    ci_policy: naming.ciPolicy(spec, env),
    // Hybrid service roots read shared/ through terraform_remote_state: their CI must read it too.
    ...(spec.layout === 'hybrid' && env !== SHARED_ENV ? { reads: [SHARED_ENV] } : {}),
  };
}

export function bootstrapFiles(spec: Spec, t: Templates): GeneratedFile[] {
  if (!bootstrapNeeded(spec)) return [];
  const data = {
    project: spec.name,
    region: spec.regions[0]!.name,
    lockTables: spec.backend === 's3' && spec.lock !== 'lockfile',
    homeBucket: naming.bootstrapStateBucket(spec),
    homeKmsAlias: naming.bootstrapKmsAlias(spec),
    requiredTofu: REQUIRED_TOFU,
    awsConstraint: AWS_PROVIDER_CONSTRAINT,
  };
  return [
    ...renderFolder(t, 'bootstrap', BOOTSTRAP_ROOT.path, data),
    { path: `${BOOTSTRAP_ROOT.path}/versions.tf`, content: t.render('roots/base/versions.tf.hbs', data) },
    jsonFile(`${BOOTSTRAP_ROOT.path}/environments.auto.tfvars.json`, {
      environments: Object.fromEntries(stateEnvironments(spec).map((env) => [env, bootstrapEnvironment(spec, env)])),
    }),
  ];
}
