import { backendOf, BACKENDS } from '../features/backends/index.js';
import { ciTargetOf, CI_TARGETS } from '../features/ci/index.js';
import { KEY_PROVIDERS, keyProviderOf } from '../features/key-providers/index.js';
import { LAYOUTS, layoutOf } from '../features/layouts/index.js';
import type { RawChoices } from '../repository/resolve.js';
import { DEFAULTS, LOCKS } from '../spec/options.js';

/** A feature table's keys as choices, each with the feature's own hint. */
const choices = (keys: readonly string[], hintOf: (key: string) => string) => keys.map((value) => ({ value, description: hintOf(value) }));

/**
 * The only place that talks to a terminal: asks for what the flags left open. Loaded lazily,
 * and only ever called when the run is interactive.
 */
export async function askChoices(dir: string | undefined, given: RawChoices): Promise<{ dir: string; choices: RawChoices }> {
  const { input, select, checkbox } = await import('@inquirer/prompts');
  const answers: RawChoices = { ...given };
  const target = dir ?? (await input({ message: 'Directory to create', default: 'my-infra' }));
  answers.layout ??= await select({ message: 'Layout', default: DEFAULTS.layout, choices: choices(LAYOUTS, (l) => layoutOf({ layout: l }).hint) });
  answers.envs ??= await input({ message: 'Environments (comma-separated)', default: DEFAULTS.envs.join(',') });
  answers.regions ??= await input({ message: 'AWS regions (comma-separated, primary first)', default: DEFAULTS.regions.join(',') });
  if (layoutOf({ layout: answers.layout }).services) {
    answers.services ??= await input({ message: 'Services (comma-separated)', default: DEFAULTS.services.join(',') });
  }
  answers.backend ??= await select({ message: 'State backend', default: DEFAULTS.backend, choices: choices(BACKENDS, (b) => backendOf({ backend: b }).hint) });
  if (backendOf({ backend: answers.backend }).locks) {
    answers.lock ??= await select({ message: 'State locking', default: DEFAULTS.lock, choices: LOCKS.map((value) => ({ value })) });
  }
  answers.keyProvider ??= await select({
    message: 'State and plan encryption',
    default: DEFAULTS.keyProvider,
    choices: choices(KEY_PROVIDERS, (k) => keyProviderOf(k).hint),
  });
  if (answers.ci === undefined) {
    const ci = await checkbox({ message: 'CI pipelines', choices: CI_TARGETS.map((value) => ({ value, checked: true, description: ciTargetOf(value).hint })) });
    answers.ci = ci.length === 0 ? 'none' : ci.join(',');
  }
  // The repositories bootstrap's CI roles trust; left empty, bootstrap/terraform.tfvars says where to set them.
  const chosenCi = answers.ci.split(',');
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  if (chosenCi.includes('github') && answers.githubRepo === undefined) {
    answers.githubRepo = optional(await input({ message: 'GitHub repository the CI roles trust (owner/name; empty: set it later)', default: '' }));
  }
  if (chosenCi.includes('gitlab') && answers.gitlabProject === undefined) {
    answers.gitlabProject = optional(await input({ message: 'GitLab project the CI roles trust (group/project; empty: set it later)', default: '' }));
    if (answers.gitlabProject !== undefined) answers.gitlabHost ??= await input({ message: 'GitLab host', default: DEFAULTS.gitlabHost });
  }
  answers.owners ??= await input({
    message: 'Code owners of bootstrap/, production and CI files (@org/team, comma-separated)',
    default: DEFAULTS.owners.join(','),
  });
  return { dir: target, choices: answers };
}
