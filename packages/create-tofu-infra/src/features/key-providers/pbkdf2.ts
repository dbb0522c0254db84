import type { KeyData, KeyProviderFeature } from '../types.js';

/** Template data of templates/encryption/key-providers/pbkdf2.hcl.hbs: the variable holding the passphrase. */
export interface Pbkdf2Data extends KeyData {
  passphrase: string;
}

/** The root's own passphrase is var.state_passphrase; a state it only reads has its environment's, e.g. var.shared_state_passphrase. */
export const passphraseVariable = (env: string, read: boolean): string => (read ? `${env.replaceAll('-', '_')}_state_passphrase` : 'state_passphrase');

/** A passphrase-derived key: works offline, the passphrase comes from TF_VAR_state_passphrase. */
export const pbkdf2: KeyProviderFeature<Pbkdf2Data> = {
  hint: 'passphrase (PBKDF2-SHA512), from TF_VAR_state_passphrase; one passphrase per environment',
  type: 'pbkdf2',
  data: (_spec, name, _env, read = false) => ({ name, passphrase: passphraseVariable(name, read) }),
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
  readSecret: (env) => {
    const variable = passphraseVariable(env, true);
    return {
      variable: {
        name: `TF_VAR_${variable}`,
        secret: true,
        perEnvironment: false,
        description: `the ${env} passphrase, for the roots that read the ${env} state through terraform_remote_state`,
        github: { store: 'secrets', name: variable.toUpperCase() },
      },
      readme: `\`export TF_VAR_${variable}=...\` (the ${env} passphrase: roots reading the ${env} state through terraform_remote_state decrypt it with ${env}'s key).`,
    };
  },
};
