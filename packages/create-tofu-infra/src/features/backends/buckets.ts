import type { BucketRule } from '../../spec/name-rules.js';
import type { Spec } from '../../spec/spec.js';
import type { NameRules, StateContext } from '../types.js';

// Names shared by the bucket backends (s3, scaleway, gcs): one bucket per environment, one object
// (or prefix) per root, so that every root of one bucket has a state of its own.

/** The workspace layout keeps every environment in one bucket, each under env:/<workspace>/. */
const oneBucket = (spec: Spec) => spec.layout === 'workspace';

/** The bucket holding an environment's state. */
function stateBucket(spec: Spec, env: string): string {
  return oneBucket(spec) ? `${spec.name}-tofu-state` : `${spec.name}-tofu-state-${env}`;
}

export function bucketOf(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? `${ctx.spec.name}-tofu-state` : `${ctx.spec.name}-tofu-state-${ctx.env}`;
}

/** State key of a root: its path, so every root of one bucket has its own object. */
export function stateKey(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'terraform.tfstate' : `${ctx.root.path}/terraform.tfstate`;
}

/** The distinct state buckets of the environments that own state (gcs: the README lists them to create). */
export function stateBuckets(spec: Spec, stateEnvs: string[]): string[] {
  return [...new Set(stateEnvs.map((env) => stateBucket(spec, env)))];
}

/** The bucket names of every environment that owns state follow the backend's own naming rule. */
export function bucketNameProblems(rule: BucketRule, store: string): NameRules {
  return (spec, stateEnvs) =>
    stateBuckets(spec, stateEnvs).flatMap((bucket) => {
      const p = rule(bucket);
      return p ? [`${p}, by the ${store} bucket naming rules (--backend ${spec.backend}): change --name or the environment name`] : [];
    });
}

/** The bootstrap stack creates the bucket (and in the workspace layout, says which prefix is whose). */
export function bucketBootstrap(spec: Spec, env: string): Record<string, string> {
  return { bucket: stateBucket(spec, env), ...(oneBucket(spec) ? { state_prefix: `env:/${env}/` } : {}) };
}
