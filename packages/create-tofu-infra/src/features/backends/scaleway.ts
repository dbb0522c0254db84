import { checkScalewayBucketName } from '../../spec/name-rules.js';
import type { BackendFeature } from '../types.js';
import { bucketNameProblems, bucketOf, stateKey } from './buckets.js';

export const SCALEWAY_ENDPOINT = 'https://s3.fr-par.scw.cloud';
export const SCALEWAY_REGION = 'fr-par';

export interface ScalewayBackendData {
  bucket: string;
  key: string;
  endpoint: string;
  region: string;
}

/** Scaleway Object Storage through the S3 backend; conditional writes make use_lockfile work there. */
export const scaleway: BackendFeature<ScalewayBackendData> = {
  hint: 'Scaleway Object Storage (S3-compatible, fr-par), a bucket per environment, use_lockfile',
  type: 's3',
  data: (ctx) => ({ bucket: bucketOf(ctx), key: stateKey(ctx), endpoint: SCALEWAY_ENDPOINT, region: SCALEWAY_REGION }),
  remoteState: (ctx) => ({
    bucket: bucketOf(ctx),
    key: stateKey(ctx),
    region: SCALEWAY_REGION,
    // Without it the data source would read the state from AWS S3, not Scaleway.
    endpoints: { expr: `{ s3 = ${JSON.stringify(SCALEWAY_ENDPOINT)} }` },
    use_path_style: true,
    skip_credentials_validation: true,
    skip_region_validation: true,
    skip_requesting_account_id: true,
    skip_s3_checksum: true,
  }),
  nameProblems: bucketNameProblems(checkScalewayBucketName, 'Scaleway Object Storage'),
  ciVariables: () => [],
  readme: [],
  ciRemark: {
    gitlab: 'The Scaleway backend reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY too: see README.md.',
    github: '- the Scaleway backend reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: see README.md.',
  },
};
