/**
 * A generator's refusal. Thrown before the first write, so the Tree is unchanged; the message
 * says what was wrong, what valid input looks like, and that nothing was changed.
 */
export class GeneratorError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.join('\n')}\nNothing was changed.`);
    this.name = 'GeneratorError';
  }
}
