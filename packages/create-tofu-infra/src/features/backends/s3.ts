import { naming } from '../../spec/naming.js';
import type { BackendFeature, StateContext } from '../types.js';

/** State key of a root: its path, so every root of one bucket has its own object. */
export function stateKey(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'terraform.tfstate' : `${ctx.root.path}/terraform.tfstate`;
}

function bucket(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? naming.sharedStateBucket(ctx.spec) : naming.stateBucket(ctx.spec, ctx.env);
}

function lockTable(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? naming.sharedLockTable(ctx.spec) : naming.lockTable(ctx.spec, ctx.env);
}

/** AWS S3: one bucket per environment, native lock file by default, DynamoDB or both on request. */
export const s3: BackendFeature = {
  kind: 's3',
  summary: 'AWS S3, one bucket per environment; locking with use_lockfile (default), DynamoDB, or both',
  backendBlock(t, ctx) {
    const lock = ctx.spec.lock ?? 'lockfile';
    return t.render('backends/s3.tf.hbs', {
      bucket: bucket(ctx),
      key: stateKey(ctx),
      region: ctx.spec.regions[0]!.name,
      useLockfile: lock === 'lockfile' || lock === 'both',
      dynamodbTable: lock === 'dynamodb' || lock === 'both' ? lockTable(ctx) : false,
    });
  },
  remoteState(ctx) {
    return { backend: 's3', config: { bucket: bucket(ctx), key: stateKey(ctx), region: ctx.spec.regions[0]!.name } };
  },
};
