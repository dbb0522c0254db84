/** Bad input: every problem found, each with the valid forms. The CLI prints it and exits 2 before writing anything. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}
