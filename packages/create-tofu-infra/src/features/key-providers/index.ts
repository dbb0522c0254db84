import { featureOf } from '../table.js';
import type { KeyProviderFeature } from '../types.js';
import { awsKms } from './aws-kms.js';
import { gcpKms } from './gcp-kms.js';
import { none } from './none.js';
import { openbao } from './openbao.js';
import { pbkdf2 } from './pbkdf2.js';

/** Every key provider, chosen by --key-provider: its key is the flag value. Adding one is one module, its templates and one line here. */
export const keyProviders = {
  pbkdf2,
  aws_kms: awsKms,
  gcp_kms: gcpKms,
  openbao,
  none,
} satisfies Record<string, KeyProviderFeature>;

export type KeyProviderKind = keyof typeof keyProviders;
export const KEY_PROVIDERS = Object.keys(keyProviders) as KeyProviderKind[];

/** A key provider by its key (a checked spec's, or a manifest's key change). */
export const keyProviderOf = (kind: string): KeyProviderFeature => featureOf<KeyProviderFeature>('key provider', keyProviders, kind);
