import { naming } from '../../spec/naming.js';
import { stateKey } from './s3.js';
import type { BackendFeature, StateContext } from '../types.js';

const ENDPOINT = 'https://s3.fr-par.scw.cloud';
const REGION = 'fr-par';

function bucket(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? naming.sharedStateBucket(ctx.spec) : naming.stateBucket(ctx.spec, ctx.env);
}

/** Scaleway Object Storage through the S3 backend; conditional writes make use_lockfile work there. */
export const scaleway: BackendFeature = {
  kind: 'scaleway',
  summary: 'Scaleway Object Storage (S3-compatible, fr-par), a bucket per environment, use_lockfile',
  backendBlock(t, ctx) {
    return t.render('backends/scaleway.tf.hbs', { bucket: bucket(ctx), key: stateKey(ctx), endpoint: ENDPOINT, region: REGION });
  },
  remoteState(ctx) {
    return {
      backend: 's3',
      config: {
        bucket: bucket(ctx),
        key: stateKey(ctx),
        region: REGION,
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_s3_checksum: true,
      },
    };
  },
};
