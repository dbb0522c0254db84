import { keyProviders } from '../features/key-providers/index.js';
import type { RootPlan } from '../features/types.js';
import type { Templates } from './templates.js';
import type { GeneratedFile, Spec } from '../spec/spec.js';
import type { KeyProviderKind } from '../spec/options.js';

/**
 * A key change in progress. `migrate`: existing plaintext state is read through an `unencrypted`
 * fallback (enforcement off until done). `rotate`: state written with the `from` key provider is
 * read through a fallback to it. Absent: the steady state, enforced, no fallback.
 */
export type EncryptionTransition = { kind: 'migrate' } | { kind: 'rotate'; from: KeyProviderKind };

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
export function encryptionFile(
  t: Templates,
  spec: Spec,
  root: RootPlan,
  env: string | undefined,
  reads: RemoteStateRead[] = [],
  transition?: EncryptionTransition,
): GeneratedFile[] {
  const provider = keyProviders[spec.keyProvider];
  if (provider.type === undefined) return [];
  const previous = transition?.kind === 'rotate' ? keyProviders[transition.from] : undefined;
  if (previous && (previous.type === undefined || previous.type === provider.type)) {
    throw new Error(`cannot rotate from ${transition?.kind === 'rotate' ? transition.from : ''} to ${spec.keyProvider}: rotation goes from one key provider type to another`);
  }
  const others = [...new Set(reads.map((r) => r.env).filter((e) => e !== env))];
  // Key providers are named after their environment: the name is written into the encrypted
  // metadata, so a root reading another's state must use the same name for that key.
  const main = env ?? 'workspace';
  const keys = [{ name: main, env }, ...others.map((e) => ({ name: e, env: e }))];
  const blocks = keys.map((k) => provider.keyProviderBlock(t, { spec, env: k.env, name: k.name }).trimEnd());
  const methods = keys.map((k) => ({ name: k.name, keyProviderType: provider.type, keyProviderName: k.name }));
  if (previous) {
    // The old key provider keeps its name: the name is part of the metadata the old state carries.
    blocks.push(`    # Previous key, kept as a fallback until every state has been rewritten with the new one.\n${previous.keyProviderBlock(t, { spec, env, name: main }).trimEnd()}`);
    methods.push({ name: `${main}_previous`, keyProviderType: previous.type, keyProviderName: main });
  }
  const content = t.render('encryption/encryption.tf.hbs', {
    keyProviders: blocks.join('\n\n'),
    main,
    methods,
    targets: ['state', 'plan'],
    enforced: transition?.kind !== 'migrate',
    unencryptedFallback: transition?.kind === 'migrate',
    fallback: transition?.kind === 'migrate' ? 'method.unencrypted.migration' : previous ? `method.aes_gcm.${main}_previous` : false,
    remoteStates: reads.map((r) => ({ address: r.address, method: r.env === env ? main : r.env })),
    variables: [provider.variables(t), previous ? previous.variables(t) : ''].join(''),
  });
  return [{ path: `${root.path}/encryption.tf`, content }];
}
