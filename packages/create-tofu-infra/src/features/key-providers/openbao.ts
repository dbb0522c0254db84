import { hclTemplate, type HclValue } from '../../engine/hcl.js';
import type { Spec } from '../../spec/spec.js';
import { layoutOf } from '../layouts/index.js';
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
    {
      name: 'BAO_ADDR',
      secret: false,
      perEnvironment: false,
      description: 'the OpenBao server address',
      placeholder: '<https://your-openbao:8200>',
      github: { store: 'vars', name: 'BAO_ADDR' },
    },
    {
      name: 'BAO_TOKEN',
      secret: true,
      perEnvironment: true,
      placeholder: '<the token created for the environment policy (OpenBao step below)>',
      description:
        'a token whose policy grants update on transit/datakey/plaintext/<key> and transit/decrypt/<key> for the environment key, nothing else (the README shows the policy)',
      github: { store: 'secrets', name: 'BAO_TOKEN' },
    },
  ],
};

/**
 * The transit key and the CI policy of each environment that owns state, for the README's OpenBao
 * step. `keys` are those the policy grants: the environment's own, and the key of every state it
 * reads through terraform_remote_state (OpenTofu asks each configured key provider for a data key).
 */
export function openbaoSetup(spec: Spec, stateEnvs: string[]): { env: string; key: string; policy: string; keys: string[] }[] {
  const keyOf = (env: string) => `${spec.name}-opentofu-state-${env}`;
  const reads = (env: string) => layoutOf(spec).remoteStateReads?.(spec, env) ?? [];
  return stateEnvs.map((env) => ({ env, key: keyOf(env), policy: `${spec.name}-tofu-ci-${env}`, keys: [env, ...reads(env)].map(keyOf) }));
}
