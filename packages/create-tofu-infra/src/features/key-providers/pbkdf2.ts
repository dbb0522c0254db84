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
      placeholder: '<the environment passphrase, 16+ characters>',
      github: { store: 'secrets', name: 'STATE_PASSPHRASE' },
    },
  ],
  readSecret: (env) => {
    const variable = passphraseVariable(env, true);
    return {
      variable: {
        name: `TF_VAR_${variable}`,
        secret: true,
        perEnvironment: false,
        description: `the ${env} passphrase, for the roots that read the ${env} state through terraform_remote_state`,
        placeholder: `<the ${env} passphrase>`,
        github: { store: 'secrets', name: variable.toUpperCase() },
      },
      own: `TF_VAR_${passphraseVariable(env, false)}`,
    };
  },
};
