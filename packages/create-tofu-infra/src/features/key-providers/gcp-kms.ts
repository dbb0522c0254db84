import { hclTemplate, type HclValue } from '../../engine/hcl.js';
import { GOOGLE_CREDENTIALS } from '../ci/variables.js';
import type { KeyData, KeyProviderFeature } from '../types.js';
import type { Spec } from '../../spec/spec.js';

export interface GcpKmsKeyData extends KeyData {
  keyRing: string;
  cryptoKey: HclValue;
}

/** A Cloud KMS key per environment in a key ring named after the project. */
export const gcpKms: KeyProviderFeature<GcpKmsKeyData> = {
  hint: 'Google Cloud KMS, one crypto key per environment',
  type: 'gcp_kms',
  data: (spec, name, env) => ({ name, keyRing: gcpKmsSetup(spec, []).keyRing, cryptoKey: hclTemplate('state-', env) }),
  variables: true,
  nameProblems: () => [],
  ciVariables: () => [
    GOOGLE_CREDENTIALS,
    {
      name: 'TF_VAR_gcp_kms_project',
      secret: false,
      perEnvironment: false,
      description: 'the GCP project holding the state key ring',
      placeholder: '<your-gcp-project>',
      github: { store: 'vars', name: 'GCP_KMS_PROJECT' },
    },
  ],
};

/** The default location of templates/encryption/variables/gcp_kms.tf.hbs (var.gcp_kms_location). */
export const GCP_KMS_DEFAULT_LOCATION = 'europe-west1';

/** The key ring and the crypto key of each environment that owns state, for the README's Cloud KMS step. */
export function gcpKmsSetup(spec: Spec, stateEnvs: string[]): { keyRing: string; location: string; keys: string[] } {
  return { keyRing: `${spec.name}-opentofu`, location: GCP_KMS_DEFAULT_LOCATION, keys: stateEnvs.map((env) => `state-${env}`) };
}
