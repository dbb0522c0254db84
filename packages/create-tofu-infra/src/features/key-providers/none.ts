import type { KeyProviderFeature } from '../types.js';

/** No client-side encryption: state is stored as plaintext JSON. Only for throwaway repositories. */
export const none: KeyProviderFeature = {
  hint: 'no client-side encryption (state stays plaintext; not for real use)',
  type: undefined,
  data: (_spec, name) => ({ name }),
  variables: false,
  nameProblems: () => [],
  ciVariables: () => [],
  credentialsNote: "Encryption is off (--key-provider none): state is NOT encrypted client-side. Do not keep secrets in this repository's state.",
};
