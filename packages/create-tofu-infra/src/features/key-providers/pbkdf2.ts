import type { KeyProviderFeature } from '../types.js';

/** A passphrase-derived key: works offline, the passphrase comes from TF_VAR_state_passphrase. */
export const pbkdf2: KeyProviderFeature = {
  hint: 'passphrase (PBKDF2-SHA512), from TF_VAR_state_passphrase; one passphrase per environment',
  type: 'pbkdf2',
  data: (_spec, name) => ({ name }),
  variables: true,
  nameProblems: () => [],
  ciVariables: () => [
    {
      name: 'TF_VAR_state_passphrase',
      secret: true,
      perEnvironment: true,
      description: 'the environment passphrase, at least 16 characters (store it in a secret manager / masked CI variable)',
      github: { store: 'secrets', name: 'STATE_PASSPHRASE' },
    },
  ],
  readme: ['`export TF_VAR_state_passphrase=...` (16+ characters, one per environment; keep it in a secret manager).'],
};
