import { checkGcsBucketName } from '../../spec/name-rules.js';
import { GOOGLE_CREDENTIALS } from '../ci/variables.js';
import type { BackendFeature, StateContext } from '../types.js';
import { bucketNameProblems, bucketOf } from './buckets.js';

export interface GcsBackendData {
  bucket: string;
  prefix: string;
}

function prefix(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'state' : ctx.root.path;
}

/** Google Cloud Storage: a bucket per environment plus a prefix per root; locking is built in. */
export const gcs: BackendFeature<GcsBackendData> = {
  hint: 'Google Cloud Storage, a bucket per environment plus a prefix per root (locking built in)',
  type: 'gcs',
  data: (ctx) => ({ bucket: bucketOf(ctx), prefix: prefix(ctx) }),
  remoteState: (ctx) => ({ bucket: bucketOf(ctx), prefix: prefix(ctx) }),
  nameProblems: bucketNameProblems(checkGcsBucketName, 'Cloud Storage'),
  ciVariables: () => [GOOGLE_CREDENTIALS],
  readme: [],
};
