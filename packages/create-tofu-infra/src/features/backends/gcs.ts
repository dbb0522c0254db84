import { checkGcsBucketName } from '../../spec/name-rules.js';
import { GOOGLE_CREDENTIALS } from '../ci/variables.js';
import type { BackendFeature, StateContext } from '../types.js';
import { bucketNameProblems, bucketOf } from './buckets.js';

/** Where the README creates the state buckets (the backend block names no location: any works). */
export const GCS_BUCKET_LOCATION = 'europe-west1';

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
};
