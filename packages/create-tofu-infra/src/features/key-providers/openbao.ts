import { hclTemplate, type HclValue } from '../../engine/hcl.js';
import type { KeyData, KeyProviderFeature } from '../types.js';

export interface OpenbaoKeyData extends KeyData {
  keyName: HclValue;
}

/** OpenBao's transit engine: one transit key per environment; address and token from BAO_ADDR / BAO_TOKEN. */
export const openbao: KeyProviderFeature<OpenbaoKeyData> = {
  hint: 'OpenBao transit engine, one key per environment (BAO_ADDR, BAO_TOKEN)',
  type: 'openbao',
  data: (spec, name, env) => ({ name, keyName: hclTemplate(`${spec.name}-opentofu-state-`, env) }),
  variables: false,
  nameProblems: () => [],
  ciVariables: () => [
    { name: 'BAO_ADDR', secret: false, perEnvironment: false, description: 'the OpenBao server address', github: { store: 'vars', name: 'BAO_ADDR' } },
    {
      name: 'BAO_TOKEN',
      secret: true,
      perEnvironment: true,
      description: 'a token allowed to use transit/encrypt and transit/decrypt on the environment key',
      github: { store: 'secrets', name: 'BAO_TOKEN' },
    },
  ],
  readme: ['`BAO_ADDR` and `BAO_TOKEN` for a token allowed to use the transit key of the environment.'],
};
