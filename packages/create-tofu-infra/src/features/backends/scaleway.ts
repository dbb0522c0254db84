import { checkScalewayBucketName } from '../../spec/name-rules.js';
import type { BackendFeature, CredentialsProfile } from '../types.js';
import { bucketNameProblems, bucketOf, stateKey } from './buckets.js';

export const SCALEWAY_ENDPOINT = 'https://s3.fr-par.scw.cloud';
export const SCALEWAY_REGION = 'fr-par';

/**
 * The S3 backend and the aws provider would both read AWS_ACCESS_KEY_ID; a profile named in the
 * backend block wins over those variables (and over AWS_PROFILE) for the backend alone, so the
 * Scaleway keys reach only the state. Named in backend.tf and every terraform_remote_state, it
 * holds no secret: nothing lands in .terraform/, a saved plan or the state, as -backend-config
 * access keys (and remote-state keys) would.
 */
export const SCALEWAY_PROFILE: CredentialsProfile = { name: 'scaleway', accessKeyVariable: 'SCW_ACCESS_KEY', secretKeyVariable: 'SCW_SECRET_KEY' };

export interface ScalewayBackendData {
  bucket: string;
  key: string;
  endpoint: string;
  region: string;
  profile: string;
}

/** Scaleway Object Storage through the S3 backend; conditional writes make use_lockfile work there. */
export const scaleway: BackendFeature<ScalewayBackendData> = {
  hint: 'Scaleway Object Storage (S3-compatible, fr-par), a bucket per environment, use_lockfile',
  type: 's3',
  data: (ctx) => ({
    bucket: bucketOf(ctx),
    key: stateKey(ctx),
    endpoint: SCALEWAY_ENDPOINT,
    region: SCALEWAY_REGION,
    profile: SCALEWAY_PROFILE.name,
  }),
  remoteState: (ctx) => ({
    bucket: bucketOf(ctx),
    key: stateKey(ctx),
    region: SCALEWAY_REGION,
    // Without it the data source would read the state from AWS S3, not Scaleway.
    endpoints: { expr: `{ s3 = ${JSON.stringify(SCALEWAY_ENDPOINT)} }` },
    // The Scaleway keys, not the aws provider's (see SCALEWAY_PROFILE).
    profile: SCALEWAY_PROFILE.name,
    use_path_style: true,
    skip_credentials_validation: true,
    skip_region_validation: true,
    skip_requesting_account_id: true,
    skip_s3_checksum: true,
  }),
  nameProblems: bucketNameProblems(checkScalewayBucketName, 'Scaleway Object Storage'),
  ciVariables: () => [
    {
      name: SCALEWAY_PROFILE.accessKeyVariable,
      secret: true,
      perEnvironment: true,
      placeholder: '<the access key of a Scaleway API key allowed to use the state bucket>',
      description: `access key of a Scaleway API key for the environment's state bucket (the backend reads it as the AWS profile "${SCALEWAY_PROFILE.name}")`,
      github: { store: 'secrets', name: SCALEWAY_PROFILE.accessKeyVariable },
    },
    {
      name: SCALEWAY_PROFILE.secretKeyVariable,
      secret: true,
      perEnvironment: true,
      placeholder: '<the secret key of that Scaleway API key>',
      description: `secret key of that Scaleway API key (the backend reads it as the AWS profile "${SCALEWAY_PROFILE.name}")`,
      github: { store: 'secrets', name: SCALEWAY_PROFILE.secretKeyVariable },
    },
  ],
  profile: SCALEWAY_PROFILE,
  ciRemark: {
    gitlab: `The Scaleway backend reads SCW_ACCESS_KEY / SCW_SECRET_KEY as the AWS profile "${SCALEWAY_PROFILE.name}" (before_script writes it); AWS keeps its own.`,
    github: `- the Scaleway backend reads SCW_ACCESS_KEY / SCW_SECRET_KEY as the AWS profile "${SCALEWAY_PROFILE.name}" (a step writes it); AWS keeps its own.`,
  },
};
