/** Options as typed: `nx g key-change <step> [--to <key provider>]`. */
export interface KeyChangeSchema {
  step: 'migrate' | 'rotate' | 'finish';
  /** rotate: a key of the core's key providers table that encrypts (checked by the generator). */
  to?: string;
}
