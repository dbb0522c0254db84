import { keyProviders } from '../features/key-providers/index.js';
import type { RootPlan } from '../features/types.js';
import type { Templates } from './templates.js';
import type { GeneratedFile, Spec } from '../spec/spec.js';

/** A state this root reads through terraform_remote_state, and the environment whose key encrypts it. */
export interface RemoteStateRead {
  /** The data source address as the encryption block names it, e.g. "shared" or "module.x.shared". */
  address: string;
  env: string;
}

/**
 * encryption.tf of one root: a key provider for its own environment's key (encrypting state and
 * plans, enforced) and one per other environment it reads state from. Nothing for --key-provider none.
 * `env` undefined means the workspace layout: the key follows the selected workspace.
 */
export function encryptionFile(t: Templates, spec: Spec, root: RootPlan, env: string | undefined, reads: RemoteStateRead[] = []): GeneratedFile[] {
  const provider = keyProviders[spec.keyProvider];
  if (provider.type === undefined) return [];
  const others = [...new Set(reads.map((r) => r.env).filter((e) => e !== env))];
  // Key providers are named after their environment: the name is written into the encrypted
  // metadata, so a root reading another's state must use the same name for that key.
  const main = env ?? 'workspace';
  const keys = [{ name: main, env }, ...others.map((e) => ({ name: e, env: e }))];
  const content = t.render('encryption/encryption.tf.hbs', {
    keyProviders: keys.map((k) => provider.keyProviderBlock(t, { spec, env: k.env, name: k.name }).trimEnd()).join('\n\n'),
    main,
    methods: keys.map((k) => ({ name: k.name, keyProviderType: provider.type, keyProviderName: k.name })),
    remoteStates: reads.map((r) => ({ address: r.address, method: r.env === env ? main : r.env })),
    variables: provider.variables(t),
  });
  return [{ path: `${root.path}/encryption.tf`, content }];
}
