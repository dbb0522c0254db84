import { naming } from '../../spec/naming.js';
import type { Spec } from '../../spec/spec.js';
import { stateEnvironments } from '../bootstrap.js';
import type { BackendFeature, StateContext } from '../types.js';

function prefix(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'state' : ctx.root.path;
}

/** The buckets a gcs repository needs (the user creates them: gcs has no bootstrap stack). */
export function gcsBuckets(spec: Spec): string[] {
  return spec.layout === 'workspace' ? [naming.sharedStateBucket(spec)] : stateEnvironments(spec).map((env) => naming.gcsBucket(spec, env));
}

/** Google Cloud Storage: a bucket per environment plus a prefix per root; locking is built in. */
export const gcs: BackendFeature = {
  kind: 'gcs',
  summary: 'Google Cloud Storage, a bucket per environment plus a prefix per root (locking built in)',
  backendBlock(t, ctx) {
    const bucket = ctx.root.kind === 'workspace' ? naming.sharedStateBucket(ctx.spec) : naming.gcsBucket(ctx.spec, ctx.env);
    return t.render('backends/gcs.tf.hbs', { bucket, prefix: prefix(ctx) });
  },
  remoteState(ctx) {
    return { backend: 'gcs', config: { bucket: naming.gcsBucket(ctx.spec, ctx.env), prefix: prefix(ctx) } };
  },
};
