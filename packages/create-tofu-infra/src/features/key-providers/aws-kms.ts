import { naming, WORKSPACE_KEY_ENV } from '../../spec/naming.js';
import type { KeyProviderFeature } from '../types.js';

/** One KMS key per environment, created by the bootstrap stack, addressed by its alias. */
export const awsKms: KeyProviderFeature = {
  kind: 'aws_kms',
  summary: 'AWS KMS, one key per environment (alias created by bootstrap/)',
  type: 'aws_kms',
  keyProviderBlock(t, { spec, env, name }) {
    return t.render('encryption/key-providers/aws_kms.hcl.hbs', {
      name,
      // The workspace layout picks the key of the selected workspace at run time.
      kmsKeyId: env === undefined ? naming.kmsAlias(spec, WORKSPACE_KEY_ENV) : naming.kmsAlias(spec, env),
      region: spec.regions[0]!.name,
    });
  },
  variables: () => '',
  environment: [
    { name: 'AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', secret: true, description: 'credentials allowed kms:GenerateDataKey and kms:Decrypt on the environment key' },
  ],
};
