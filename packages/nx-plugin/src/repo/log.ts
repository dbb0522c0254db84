/** Everything a generator says goes through here (stdout), so tests can listen in one place. */
export const log = {
  info: (text: string): void => {
    process.stdout.write(`${text}\n`);
  },
};
