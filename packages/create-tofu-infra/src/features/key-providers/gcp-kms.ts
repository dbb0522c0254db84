import { WORKSPACE_KEY_ENV } from '../../spec/naming.js';
import type { KeyProviderFeature } from '../types.js';

/** A Cloud KMS key per environment in a key ring named after the project. */
export const gcpKms: KeyProviderFeature = {
  kind: 'gcp_kms',
  summary: 'Google Cloud KMS, one crypto key per environment',
  type: 'gcp_kms',
  keyProviderBlock(t, { spec, env, name }) {
    return t.render('encryption/key-providers/gcp_kms.hcl.hbs', {
      name,
      keyRing: `${spec.name}-opentofu`,
      cryptoKey: `state-${env ?? WORKSPACE_KEY_ENV}`,
    });
  },
  variables: (t) => t.render('encryption/variables/gcp_kms.tf.hbs', {}),
  environment: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', secret: true, description: 'a service account allowed to encrypt/decrypt with the key (or workload identity)' }],
};
