/** What each exit code of create-tofu-infra means: --help prints this table, README.md repeats it. */
export const EXIT_CODES = {
  ok: { code: 0, meaning: 'done: written and validated (or --skip-validate, or --dry-run)' },
  invalid: { code: 1, meaning: 'validation failed: tofu found a problem (the failing roots are named, the files kept)' },
  usage: { code: 2, meaning: 'bad input: the message says what was wrong and what is valid; nothing was written' },
  notValidated: { code: 3, meaning: 'written, but not validated: no tofu found (pass --skip-validate when that is intended)' },
  io: { code: 4, meaning: 'the file system refused (permissions, disk full, ...): one line says what; nothing was written' },
  internal: { code: 70, meaning: 'a bug in create-tofu-infra: one line says what (CREATE_TOFU_INFRA_DEBUG=1 prints the stack)' },
  cancelled: { code: 130, meaning: 'cancelled (Ctrl-C or a declined prompt): nothing was written' },
} as const;
