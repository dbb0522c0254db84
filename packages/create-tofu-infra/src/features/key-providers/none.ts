import type { KeyProviderFeature } from '../types.js';

/** No client-side encryption: state is stored as plaintext JSON. Only for throwaway repositories. */
export const none: KeyProviderFeature = {
  kind: 'none',
  summary: 'no client-side encryption (state stays plaintext; not for real use)',
  type: undefined,
  keyProviderBlock: () => '',
  variables: () => '',
  environment: [],
};
