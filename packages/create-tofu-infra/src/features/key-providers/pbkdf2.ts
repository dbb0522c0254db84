import type { KeyProviderFeature } from '../types.js';

/** A passphrase-derived key: works offline, the passphrase comes from TF_VAR_state_passphrase. */
export const pbkdf2: KeyProviderFeature = {
  kind: 'pbkdf2',
  summary: 'passphrase (PBKDF2-SHA512), from TF_VAR_state_passphrase; one passphrase per environment',
  type: 'pbkdf2',
  keyProviderBlock(t, { name }) {
    return t.render('encryption/key-providers/pbkdf2.hcl.hbs', { name });
  },
  variables: (t) => t.render('encryption/variables/pbkdf2.tf.hbs', {}),
  environment: [{ name: 'TF_VAR_state_passphrase', secret: true, description: 'the environment passphrase, at least 16 characters (store it in a secret manager / masked CI variable)' }],
};
