import type { KeyProviderKind } from '../../core.js';

/** Options as typed: `nx g key-change <step> [--to <key provider>]`. */
export interface KeyChangeSchema {
  step: 'migrate' | 'rotate' | 'finish';
  to?: KeyProviderKind;
}

/** A key change in progress, recorded in the manifest so that `finish` knows what to undo. */
export type KeyChange = { kind: 'migrate' } | { kind: 'rotate'; from: KeyProviderKind };
