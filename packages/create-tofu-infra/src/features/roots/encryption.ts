import type { Templates } from '../../engine/templates.js';
import type { EncryptionTransition, GeneratedFile, RootPlan, Spec } from '../../spec/spec.js';
import { keyProviderOf } from '../key-providers/index.js';
import type { EnvRef, KeyData, KeyProviderFeature } from '../types.js';

/** The file of every root holding its encryption block: rewritten by `nx g key-change`, and only by it. */
export const ENCRYPTION_FILE = 'encryption.tf';

export function isEncryptionFile(path: string): boolean {
  return path === ENCRYPTION_FILE || path.endsWith(`/${ENCRYPTION_FILE}`);
}

/** A state this root reads through terraform_remote_state, and the environment whose key encrypts it. */
export interface RemoteStateRead {
  /** The data source address as the encryption block names it, e.g. "shared" or "module.x.shared". */
  address: string;
  env: string;
}

/** Where one root's key comes from: the key name and the environment (or workspace expression) it is for. */
export interface RootKey {
  /** The state environment of the root; undefined in the workspace layout. */
  env: string | undefined;
  /** The key's environment as the key provider names it: `env`, or the workspace layout's expression. */
  keyEnv: EnvRef;
}

/** Template data of templates/encryption/encryption.tf.hbs. */
export interface EncryptionData {
  keyProviders: { partial: string; previous: boolean; data: KeyData }[];
  main: string;
  methods: { name: string; keyProviderType: string; keyProviderName: string }[];
  targets: string[];
  enforced: boolean;
  unencryptedFallback: boolean;
  fallback: string | false;
  remoteStates: { address: string; method: string }[];
  /** Variables partials; `reads` is the key data of the states the root only reads (their own variables). */
  variables: { partial: string; reads: KeyData[] }[];
}

const keyPartial = (kind: string) => ({ partial: `encryption/key-providers/${kind}.hcl` });
const variablesPartial = (kind: string, provider: KeyProviderFeature, reads: KeyData[] = []) =>
  provider.variables ? [{ partial: `encryption/variables/${kind}.tf`, reads }] : [];

/** The key provider a rotation reads old state with; refuses a rotation that is none. */
function previousProvider(spec: Spec, transition: EncryptionTransition | undefined, type: string): KeyProviderFeature | undefined {
  if (transition?.kind !== 'rotate') return undefined;
  const previous = keyProviderOf(transition.from);
  if (previous.type === undefined || previous.type === type) {
    throw new Error(`cannot rotate from ${transition.from} to ${spec.keyProvider}: rotation goes from one key provider type to another`);
  }
  return previous;
}

/** The blocks and methods of a root's keys: its own, each environment's it reads, and the previous one while rotating. */
function encryptionData(spec: Spec, key: RootKey, reads: RemoteStateRead[], transition: EncryptionTransition | undefined): EncryptionData {
  const provider = keyProviderOf(spec.keyProvider);
  const type = provider.type!;
  const previous = previousProvider(spec, transition, type);
  // Key providers are named after their environment: the name is written into the encrypted
  // metadata, so a root reading another's state must use the same name for that key.
  const main = key.env ?? 'workspace';
  const others = [...new Set(reads.map((r) => r.env).filter((e) => e !== key.env))];
  const keys = [{ name: main, env: key.keyEnv, read: false }, ...others.map((e) => ({ name: e, env: e, read: true }))];
  const blocks = keys.map((k) => ({ ...keyPartial(spec.keyProvider), previous: false, data: provider.data(spec, k.name, k.env, k.read) }));
  const methods = keys.map((k) => ({ name: k.name, keyProviderType: type, keyProviderName: k.name }));
  if (previous && transition?.kind === 'rotate') {
    // The old key provider keeps its name: the name is part of the metadata the old state carries.
    blocks.push({ ...keyPartial(transition.from), previous: true, data: previous.data(spec, main, key.keyEnv) });
    methods.push({ name: `${main}_previous`, keyProviderType: previous.type!, keyProviderName: main });
  }
  const migrating = transition?.kind === 'migrate';
  return {
    keyProviders: blocks,
    main,
    methods,
    targets: ['state', 'plan'],
    enforced: !migrating,
    unencryptedFallback: migrating,
    fallback: migrating ? 'method.unencrypted.migration' : previous ? `method.aes_gcm.${main}_previous` : false,
    remoteStates: reads.map((r) => ({ address: r.address, method: r.env === key.env ? main : r.env })),
    variables: [
      ...variablesPartial(
        spec.keyProvider,
        provider,
        blocks.slice(1, keys.length).map((b) => b.data),
      ),
      ...(previous && transition?.kind === 'rotate' ? variablesPartial(transition.from, previous) : []),
    ],
  };
}

/**
 * encryption.tf of one root: a key provider for its own environment's key (encrypting state and
 * plans, enforced) and one per other environment it reads state from. Nothing for --key-provider none.
 */
export function encryptionFile(
  t: Templates,
  spec: Spec,
  root: RootPlan,
  key: RootKey,
  reads: RemoteStateRead[],
  transition?: EncryptionTransition,
): GeneratedFile[] {
  if (keyProviderOf(spec.keyProvider).type === undefined) return [];
  return [{ path: `${root.path}/${ENCRYPTION_FILE}`, content: t.render('encryption/encryption.tf.hbs', encryptionData(spec, key, reads, transition)) }];
}
