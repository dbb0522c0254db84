import { hclTemplate, type HclValue } from '../../engine/hcl.js';
import { GOOGLE_CREDENTIALS } from '../ci/variables.js';
import type { KeyData, KeyProviderFeature } from '../types.js';

export interface GcpKmsKeyData extends KeyData {
  keyRing: string;
  cryptoKey: HclValue;
}

/** A Cloud KMS key per environment in a key ring named after the project. */
export const gcpKms: KeyProviderFeature<GcpKmsKeyData> = {
  hint: 'Google Cloud KMS, one crypto key per environment',
  type: 'gcp_kms',
  data: (spec, name, env) => ({ name, keyRing: `${spec.name}-opentofu`, cryptoKey: hclTemplate('state-', env) }),
  variables: true,
  nameProblems: () => [],
  ciVariables: () => [
    GOOGLE_CREDENTIALS,
    {
      name: 'TF_VAR_gcp_kms_project',
      secret: false,
      perEnvironment: false,
      description: 'the GCP project holding the state key ring',
      github: { store: 'vars', name: 'GCP_KMS_PROJECT' },
    },
  ],
  readme: ['Google credentials allowed to use the environment crypto key, and `TF_VAR_gcp_kms_project`.'],
};
