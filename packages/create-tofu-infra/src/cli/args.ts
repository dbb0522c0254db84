import { Command, CommanderError, Option } from 'commander';
import { BACKENDS } from '../features/backends/index.js';
import { CI_TARGETS } from '../features/ci/index.js';
import { KEY_PROVIDERS } from '../features/key-providers/index.js';
import { LAYOUTS } from '../features/layouts/index.js';
import { ALLOW_UNKNOWN_REGION_FLAG } from '../repository/check.js';
import type { RawChoices } from '../repository/resolve.js';
import { ACCOUNT_ROLE } from '../spec/accounts.js';
import { UsageError } from '../spec/errors.js';
import { DEFAULTS, LOCKS, MODULES } from '../spec/options.js';
import { EXIT_CODES } from './exit-codes.js';

/** What to do with a file already in the target that differs from the one it would write (--force only). */
export type ExistingFiles = 'refuse' | 'keep' | 'overwrite';

export interface ParsedArgs {
  dir: string | undefined;
  choices: RawChoices;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  existing: ExistingFiles;
  skipValidate: boolean;
  allowUnknownRegions: boolean;
  json: boolean;
}

/** A flag taking a value that becomes one of the RawChoices (given at most once). */
interface ChoiceOption {
  flags: string;
  key: keyof RawChoices;
  description: string;
  /** Shown in --help; a value the user did not type stays undefined so a prompt can ask for it. */
  default?: string;
}

/** A flag without a value (read by its camel-cased name). */
interface SwitchOption {
  flags: string;
  description: string;
}

/** The choices, as data: valid values come from the option lists, so help and checks never drift. */
const CHOICE_OPTIONS: ChoiceOption[] = [
  { flags: '--layout <layout>', key: 'layout', description: `repository layout: ${LAYOUTS.join('|')}`, default: DEFAULTS.layout },
  { flags: '--envs <list>', key: 'envs', description: 'environments, comma-separated', default: DEFAULTS.envs.join(',') },
  { flags: '--regions <list>', key: 'regions', description: 'AWS regions, comma-separated, primary first', default: DEFAULTS.regions.join(',') },
  { flags: '--services <list>', key: 'services', description: `hybrid layout: service stacks under services/ (default ${DEFAULTS.services.join(',')})` },
  { flags: '--modules <list>', key: 'modules', description: `modules, comma-separated: ${MODULES.join(',')}`, default: DEFAULTS.modules.join(',') },
  { flags: '--backend <kind>', key: 'backend', description: `state backend: ${BACKENDS.join('|')}`, default: DEFAULTS.backend },
  { flags: '--lock <kind>', key: 'lock', description: `s3 only, state locking: ${LOCKS.join('|')} (default ${DEFAULTS.lock})` },
  { flags: '--key-provider <kind>', key: 'keyProvider', description: `state and plan encryption: ${KEY_PROVIDERS.join('|')}`, default: DEFAULTS.keyProvider },
  { flags: '--ci <list>', key: 'ci', description: `CI pipelines: ${CI_TARGETS.join(',')} or none`, default: CI_TARGETS.join(',') },
  {
    flags: '--owners <list>',
    key: 'owners',
    description: `code owners of bootstrap/, production and CI files: @org/team, @user or e-mail, comma-separated (default ${DEFAULTS.owners.join(',')}, a placeholder)`,
  },
  {
    flags: '--github-repo <owner/name>',
    key: 'githubRepo',
    description: 'GitHub repository whose workflows the CI roles bootstrap creates trust (--ci github)',
  },
  {
    flags: '--gitlab-project <path>',
    key: 'gitlabProject',
    description: 'GitLab project path (group/project) whose pipelines the CI roles trust (--ci gitlab)',
  },
  {
    flags: '--gitlab-host <host>',
    key: 'gitlabHost',
    description: `GitLab instance issuing the ID tokens, for self-managed GitLab (default ${DEFAULTS.gitlabHost})`,
  },
  {
    flags: '--accounts <list>',
    key: 'accounts',
    description: `one AWS account per environment, env=account-id comma-separated (e.g. dev=111111111111,prod=222222222222; --backend s3). Roots and bootstrap assume ${ACCOUNT_ROLE} there (variable account_role_name)`,
  },
  { flags: '--name <prefix>', key: 'name', description: 'name prefix of buckets, keys and aliases; buckets are globally unique (default: the directory name)' },
];

const SWITCH_OPTIONS: SwitchOption[] = [
  { flags: '-y, --yes', description: 'accept defaults for everything not given; never prompt' },
  { flags: '--dry-run', description: 'list every file with what it would do (create, replace, keep), and write nothing' },
  {
    flags: '--force',
    description: 'write into a non-empty directory; refuses, before writing anything, when a file there differs from the one it would write',
  },
  { flags: '--keep-existing', description: 'with --force: leave such files as they are (they are listed) and write the rest' },
  { flags: '--overwrite', description: 'with --force: replace such files (each is named)' },
  { flags: '--skip-validate', description: 'do not run tofu fmt/init/validate on the result' },
  { flags: ALLOW_UNKNOWN_REGION_FLAG, description: 'accept a well-formed region missing from the AWS region list (a newer region)' },
  { flags: '--json', description: 'print one JSON result on stdout (files, roots, validation, exit code, errors); never prompt' },
];

const EXAMPLES = `
Examples:
  $ create-tofu-infra my-infra
  $ create-tofu-infra my-infra --yes --layout workspace --envs dev,prod --regions eu-west-1,eu-central-1
  $ create-tofu-infra my-infra -y --backend gcs --key-provider gcp_kms --ci github
  $ create-tofu-infra my-infra -y --backend s3 --lock both --dry-run

Interactive on a terminal; never prompts with --yes or --json, when CI is set, or when stdin is not a terminal.
Exit codes:
${Object.values(EXIT_CODES)
  .map((c) => `  ${String(c.code).padEnd(3)} ${c.meaning}`)
  .join('\n')}`;

function buildProgram(version: string): Command {
  const program = new Command('create-tofu-infra')
    .description('Scaffold a production-grade OpenTofu repository and prove it with the real tofu (fmt, init, validate).')
    .argument('[dir]', 'directory to create, or an empty one to fill (`.`: the current directory)');
  for (const o of CHOICE_OPTIONS)
    program.addOption(o.default === undefined ? new Option(o.flags, o.description) : new Option(o.flags, o.description).default(o.default));
  for (const o of SWITCH_OPTIONS) program.addOption(new Option(o.flags, o.description));
  return program
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

/** Options with a value given more than once: commander keeps the last, which would silently drop the first. */
function countRepeats(program: Command): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const option of program.options) {
    if (!option.required) continue;
    const name = option.name();
    program.on(`option:${name}`, (value: string) => values.set(name, [...(values.get(name) ?? []), value]));
  }
  return values;
}

function repeatProblems(values: Map<string, string[]>): string[] {
  return [...values]
    .filter(([, given]) => given.length > 1)
    .map(
      ([name, given]) =>
        `--${name} was given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(', ')}); give it once${CHOICE_OPTIONS.some((o) => o.flags.startsWith(`--${name} <list>`)) ? `, lists comma-separated (e.g. --${name} ${given.join(',')})` : ''}`,
    );
}

function existingFiles(o: Record<string, unknown>): ExistingFiles {
  const problems: string[] = [];
  if (o.keepExisting && o.overwrite) problems.push('--keep-existing and --overwrite contradict each other: pass one of them (with --force)');
  if ((o.keepExisting || o.overwrite) && !o.force) problems.push(`--${o.keepExisting ? 'keep-existing' : 'overwrite'} only applies with --force: add --force`);
  if (problems.length > 0) throw new UsageError(problems);
  return o.keepExisting ? 'keep' : o.overwrite ? 'overwrite' : 'refuse';
}

/**
 * Parses argv. Usage mistakes become a UsageError (exit 2); --help and --version print and
 * return undefined. Options the user did not type stay undefined, so prompts can ask for them.
 */
export function parseArgs(argv: string[], version: string, write: (s: string) => void = (s) => process.stdout.write(s)): ParsedArgs | undefined {
  const program = buildProgram(version);
  const repeats = countRepeats(program);
  let captured = '';
  program.exitOverride().configureOutput({ writeErr: (s) => (captured += s), writeOut: write });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) {
      return undefined;
    }
    const message = (captured || (err as Error).message).replace(/^error: /, '').trim();
    throw new UsageError([`${message}. Run create-tofu-infra --help for every option and its valid values`]);
  }
  const repeated = repeatProblems(repeats);
  if (repeated.length > 0) throw new UsageError(repeated);
  const o = program.opts();
  const given = (key: string) => (program.getOptionValueSource(key) === 'cli' ? (o[key] as string) : undefined);
  return {
    dir: program.args[0],
    choices: Object.fromEntries(CHOICE_OPTIONS.map((c) => [c.key, given(c.key)])) as RawChoices,
    yes: Boolean(o.yes),
    dryRun: Boolean(o.dryRun),
    force: Boolean(o.force),
    existing: existingFiles(o),
    skipValidate: Boolean(o.skipValidate),
    allowUnknownRegions: Boolean(o.allowUnknownRegion),
    json: Boolean(o.json),
  };
}
