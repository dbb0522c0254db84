import { naming, WORKSPACE_KEY_ENV } from '../../spec/naming.js';
import type { KeyProviderFeature } from '../types.js';

/** OpenBao's transit engine: one transit key per environment; address and token from BAO_ADDR / BAO_TOKEN. */
export const openbao: KeyProviderFeature = {
  kind: 'openbao',
  summary: 'OpenBao transit engine, one key per environment (BAO_ADDR, BAO_TOKEN)',
  type: 'openbao',
  keyProviderBlock(t, { spec, env, name }) {
    return t.render('encryption/key-providers/openbao.hcl.hbs', {
      name,
      keyName: env === undefined ? naming.openbaoKey(spec, WORKSPACE_KEY_ENV) : naming.openbaoKey(spec, env),
    });
  },
  variables: () => '',
  environment: [
    { name: 'BAO_ADDR', secret: false, description: 'the OpenBao server address' },
    { name: 'BAO_TOKEN', secret: true, description: 'a token whose policy grants update on transit/datakey/plaintext/<key> and transit/decrypt/<key> for the environment key, nothing else (the README shows the policy)' },
  ],
};
