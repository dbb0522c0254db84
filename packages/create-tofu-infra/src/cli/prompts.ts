import { BACKENDS, CI_TARGETS, DEFAULTS, KEY_PROVIDERS, LAYOUTS, LOCKS } from '../spec/options.js';
import type { RawChoices } from '../spec/resolve.js';

/**
 * The only place that talks to a terminal: asks for what the flags left open. Loaded lazily,
 * and only ever called when the run is interactive.
 */
export async function askChoices(dir: string | undefined, given: RawChoices): Promise<{ dir: string; choices: RawChoices }> {
  const { input, select, checkbox } = await import('@inquirer/prompts');
  const answers: RawChoices = { ...given };
  const target = dir ?? (await input({ message: 'Directory to create', default: 'my-infra' }));
  answers.layout ??= await select({
    message: 'Layout',
    default: DEFAULTS.layout,
    choices: LAYOUTS.map((value) => ({ value })),
  });
  answers.envs ??= await input({ message: 'Environments (comma-separated)', default: DEFAULTS.envs.join(',') });
  answers.regions ??= await input({ message: 'AWS regions (comma-separated, primary first)', default: DEFAULTS.regions.join(',') });
  if (answers.layout === 'hybrid') {
    answers.services ??= await input({ message: 'Services (comma-separated)', default: DEFAULTS.services.join(',') });
  }
  answers.backend ??= await select({ message: 'State backend', default: DEFAULTS.backend, choices: BACKENDS.map((value) => ({ value })) });
  if (answers.backend === 's3') {
    answers.lock ??= await select({ message: 'State locking', default: DEFAULTS.lock, choices: LOCKS.map((value) => ({ value })) });
  }
  answers.keyProvider ??= await select({ message: 'State and plan encryption', default: DEFAULTS.keyProvider, choices: KEY_PROVIDERS.map((value) => ({ value })) });
  if (answers.ci === undefined) {
    const ci = await checkbox({ message: 'CI pipelines', choices: CI_TARGETS.map((value) => ({ value, checked: true })) });
    answers.ci = ci.length === 0 ? 'none' : ci.join(',');
  }
  return { dir: target, choices: answers };
}
