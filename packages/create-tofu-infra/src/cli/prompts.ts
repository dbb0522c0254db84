import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { backendOf, BACKENDS } from '../features/backends/index.js';
import { ciTargetOf, CI_TARGETS } from '../features/ci/index.js';
import { KEY_PROVIDERS, keyProviderOf } from '../features/key-providers/index.js';
import { LAYOUTS, layoutOf } from '../features/layouts/index.js';
import { specProblems, type RawChoices } from '../repository/resolve.js';
import { UsageError } from '../spec/errors.js';
import { nameFromDirectory } from '../spec/name-rules.js';
import { DEFAULTS, LOCK_HINTS, LOCKS, type LockKind } from '../spec/options.js';
import { VERSION } from '../version.js';
import { inspectTarget } from '../write/disk.js';

/** What the flags gave, and what the prompts need to check answers the way the flags are checked. */
export interface Given {
  dir: string | undefined;
  choices: RawChoices;
  force: boolean;
  cwd: string;
  allowUnknownRegions: boolean;
}

export interface Answers {
  dir: string;
  choices: RawChoices;
  force: boolean;
}

/** A feature table's keys as choices, each with its one-line hint. */
const choicesOf = (keys: readonly string[], hintOf: (key: string) => string) => keys.map((value) => ({ value, description: hintOf(value) }));

/** Without type-ahead search, a key that is no arrow, number or Enter (Escape) leaves the selection where it is. */
const SELECT_THEME = { keybindings: ['vim'] as const };

const cancelled = () => Object.assign(new Error('cancelled'), { name: 'ExitPromptError' });

/** A target's problem (a file, a link, unwritable, ...), as a prompt shows it; undefined when it can be used. */
function targetProblem(cwd: string, dir: string): string | undefined {
  if (dir.trim() === '') return 'Type a directory: a new one (e.g. my-infra), an empty one, or . for the current one';
  try {
    inspectTarget(resolve(cwd, dir), true);
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return err.problems.join('\n');
    return `${dir}: ${(err as Error).message}`;
  }
}

const nonEmpty = (path: string) => {
  try {
    return readdirSync(path).length > 0;
  } catch {
    return false;
  }
};

/** A name prefix nobody else is likely to have picked: the directory's name and four random characters. */
export function proposeName(dir: string): string {
  const base = (nameFromDirectory(basename(dir)) ?? 'infra').slice(0, 20).replace(/-+$/, '');
  const suffix = [...randomBytes(4)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  return `${base}-${suffix}`;
}

/**
 * The only place that talks to a terminal: asks for what the flags left open, checking every answer
 * as it is given with the same rules as the flags (resolveSpec/checkSpec), and asking again with the
 * problem when it breaks one. Loaded lazily, and only ever called when the run is interactive.
 */
export async function askChoices(given: Given): Promise<Answers> {
  const { input, select, checkbox, confirm } = await import('@inquirer/prompts');
  const answers: RawChoices = { ...given.choices };
  let dir = given.dir;
  const problemsWith = (candidate: RawChoices) =>
    specProblems(candidate, {
      directoryName: basename(resolve(given.cwd, dir ?? '.')),
      generatorVersion: VERSION,
      allowUnknownRegions: given.allowUnknownRegions,
    }).problems;
  // What the flags got wrong cannot be fixed by answering: refused before the first question.
  const flagProblems = problemsWith({ ...answers, name: answers.name ?? 'placeholder' });
  if (flagProblems.length > 0) throw new UsageError(flagProblems);

  /** An input prompt whose answer is checked as typed: the problems are shown and the question stays. */
  const ask = async (key: keyof RawChoices, message: string, defaultValue: string) => {
    answers[key] = await input({
      message,
      default: defaultValue,
      validate: (value) => {
        const problems = problemsWith({ ...answers, [key]: value.trim() });
        return problems.length === 0 ? true : problems.join('\n');
      },
    });
    answers[key] = answers[key]!.trim();
  };
  /** A choice among values: asked again with the problem when the choice breaks a rule with the answers before it. */
  const choose = async (key: keyof RawChoices, message: string, defaultValue: string, options: { value: string; description?: string }[]) => {
    for (;;) {
      const value = await select({ message, default: defaultValue, choices: options, theme: SELECT_THEME });
      const problems = problemsWith({ ...answers, [key]: value });
      if (problems.length === 0) return (answers[key] = value);
      for (const p of problems) process.stdout.write(`  ✗ ${p}\n`);
      defaultValue = value;
    }
  };

  dir ??= await input({
    message: 'Directory to create (or an empty one, or . for the current one)',
    default: 'my-infra',
    validate: (value) => targetProblem(given.cwd, value) ?? true,
  });
  let force = given.force;
  const problem = targetProblem(given.cwd, dir);
  if (problem) throw new UsageError([problem]);
  if (!force && nonEmpty(resolve(given.cwd, dir))) {
    const write = await confirm({
      message: `${dir} is not empty. Write into it anyway, as with --force? (it stops before writing anything if a file there would change)`,
      default: false,
    });
    if (!write) throw cancelled();
    force = true;
  }
  if (answers.name === undefined) {
    process.stdout.write(
      'Bucket names are global: every account of a cloud shares one namespace, so <name>-tofu-state-dev must be free everywhere.\n' +
        'A name with a random part (proposed below) does not collide with anyone else’s.\n',
    );
    await ask('name', 'Name prefix of buckets, keys and aliases', proposeName(resolve(given.cwd, dir)));
  }
  if (answers.layout === undefined)
    await choose(
      'layout',
      'Layout',
      DEFAULTS.layout,
      choicesOf(LAYOUTS, (l) => layoutOf({ layout: l }).hint),
    );
  if (answers.envs === undefined) await ask('envs', 'Environments (comma-separated)', DEFAULTS.envs.join(','));
  if (answers.regions === undefined) await ask('regions', 'AWS regions (comma-separated, primary first)', DEFAULTS.regions.join(','));
  if (layoutOf({ layout: answers.layout! }).services && answers.services === undefined) {
    await ask('services', 'Services (comma-separated)', DEFAULTS.services.join(','));
  }
  if (answers.backend === undefined)
    await choose(
      'backend',
      'State backend',
      DEFAULTS.backend,
      choicesOf(BACKENDS, (b) => backendOf({ backend: b }).hint),
    );
  if (backendOf({ backend: answers.backend! }).locks && answers.lock === undefined) {
    await choose(
      'lock',
      'State locking',
      DEFAULTS.lock,
      choicesOf(LOCKS, (l) => LOCK_HINTS[l as LockKind]),
    );
  }
  if (answers.keyProvider === undefined) {
    await choose(
      'keyProvider',
      'State and plan encryption',
      DEFAULTS.keyProvider,
      choicesOf(KEY_PROVIDERS, (k) => keyProviderOf(k).hint),
    );
  }
  if (answers.ci === undefined) {
    const ci = await checkbox({ message: 'CI pipelines', choices: CI_TARGETS.map((value) => ({ value, checked: true, description: ciTargetOf(value).hint })) });
    answers.ci = ci.length === 0 ? 'none' : ci.join(',');
  }
  // The repositories bootstrap's CI roles trust; left empty, bootstrap/terraform.tfvars says where to set them.
  const chosenCi = (answers.ci ?? '').split(',');
  const askOptional = async (key: 'githubRepo' | 'gitlabProject' | 'gitlabHost', message: string, defaultValue = '') => {
    const value = await input({
      message,
      default: defaultValue,
      validate: (typed) => {
        const problems = typed.trim() === '' ? [] : problemsWith({ ...answers, [key]: typed.trim() });
        return problems.length === 0 ? true : problems.join('\n');
      },
    });
    answers[key] = value.trim() === '' ? undefined : value.trim();
  };
  if (chosenCi.includes('github') && answers.githubRepo === undefined) {
    await askOptional('githubRepo', 'GitHub repository the CI roles trust (owner/name; empty: set it later)');
  }
  if (chosenCi.includes('gitlab') && answers.gitlabProject === undefined) {
    await askOptional('gitlabProject', 'GitLab project the CI roles trust (group/project; empty: set it later)');
    if (answers.gitlabProject !== undefined && answers.gitlabHost === undefined) await askOptional('gitlabHost', 'GitLab host', DEFAULTS.gitlabHost);
  }
  if (answers.owners === undefined)
    await ask('owners', 'Code owners of bootstrap/, production and CI files (@org/team, comma-separated)', DEFAULTS.owners.join(','));
  return { dir, choices: answers, force };
}
