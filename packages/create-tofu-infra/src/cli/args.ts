import { Command, CommanderError, Option } from 'commander';
import { BACKENDS } from '../features/backends/index.js';
import { CI_TARGETS } from '../features/ci/index.js';
import { KEY_PROVIDERS } from '../features/key-providers/index.js';
import { LAYOUTS } from '../features/layouts/index.js';
import type { RawChoices } from '../repository/resolve.js';
import { UsageError } from '../spec/errors.js';
import { DEFAULTS, LOCKS, MODULES } from '../spec/options.js';

export interface ParsedArgs {
  dir: string | undefined;
  choices: RawChoices;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  skipValidate: boolean;
}

const EXAMPLES = `
Examples:
  $ create-tofu-infra my-infra
  $ create-tofu-infra my-infra --yes --layout workspace --envs dev,prod --regions eu-west-1,eu-central-1
  $ create-tofu-infra my-infra -y --backend gcs --key-provider gcp_kms --ci github
  $ create-tofu-infra my-infra -y --backend s3 --lock both --dry-run

Interactive on a terminal; never prompts with --yes, when CI is set, or when stdin is not a terminal.
Exit codes: 0 done (or validation skipped: no tofu found), 1 validation failed, 2 bad input (nothing written).`;

/** The command line, as data for commander. Valid values come from the option lists, so help and checks never drift. */
function buildProgram(version: string): Command {
  return new Command('create-tofu-infra')
    .description('Scaffold a production-grade OpenTofu repository and prove it with the real tofu (fmt, init, validate).')
    .argument('[dir]', 'directory to create (must be new or empty, unless --force)')
    .addOption(new Option('--layout <layout>', `repository layout: ${LAYOUTS.join('|')}`).default(DEFAULTS.layout))
    .addOption(new Option('--envs <list>', 'environments, comma-separated').default(DEFAULTS.envs.join(',')))
    .addOption(new Option('--regions <list>', 'AWS regions, comma-separated, primary first').default(DEFAULTS.regions.join(',')))
    .addOption(new Option('--services <list>', `hybrid layout: service stacks under services/ (default ${DEFAULTS.services.join(',')})`))
    .addOption(new Option('--modules <list>', `modules, comma-separated: ${MODULES.join(',')}`).default(DEFAULTS.modules.join(',')))
    .addOption(new Option('--backend <kind>', `state backend: ${BACKENDS.join('|')}`).default(DEFAULTS.backend))
    .addOption(new Option('--lock <kind>', `s3 only, state locking: ${LOCKS.join('|')} (default ${DEFAULTS.lock})`))
    .addOption(new Option('--key-provider <kind>', `state and plan encryption: ${KEY_PROVIDERS.join('|')}`).default(DEFAULTS.keyProvider))
    .addOption(new Option('--ci <list>', `CI pipelines: ${CI_TARGETS.join(',')} or none`).default(CI_TARGETS.join(',')))
    .addOption(
      new Option(
        '--owners <list>',
        `code owners of bootstrap/, production and CI files: @org/team, @user or e-mail, comma-separated (default ${DEFAULTS.owners.join(',')}, a placeholder)`,
      ),
    )
    .addOption(new Option('--github-repo <owner/name>', 'GitHub repository whose workflows the CI roles bootstrap creates trust (--ci github)'))
    .addOption(new Option('--gitlab-project <path>', 'GitLab project path (group/project) whose pipelines the CI roles trust (--ci gitlab)'))
    .addOption(new Option('--gitlab-host <host>', `GitLab instance issuing the ID tokens, for self-managed GitLab (default ${DEFAULTS.gitlabHost})`))
    .addOption(new Option('--name <prefix>', 'name prefix of buckets, keys and aliases (default: the directory name)'))
    .option('-y, --yes', 'accept defaults for everything not given; never prompt', false)
    .option('--dry-run', 'list the files it would write, and write nothing', false)
    .option('--force', 'write into a non-empty directory (never deletes a file it did not generate)', false)
    .option('--skip-validate', 'do not run tofu fmt/init/validate on the result', false)
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

/**
 * Parses argv. Usage mistakes become a UsageError (exit 2); --help and --version print and
 * return undefined. Options the user did not type stay undefined, so prompts can ask for them.
 */
export function parseArgs(argv: string[], version: string): ParsedArgs | undefined {
  const program = buildProgram(version);
  let captured = '';
  program.exitOverride().configureOutput({ writeErr: (s) => (captured += s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) {
      return undefined;
    }
    const message = (captured || (err as Error).message).replace(/^error: /, '').trim();
    throw new UsageError([`${message}. Run create-tofu-infra --help for every option and its valid values`]);
  }
  const o = program.opts();
  const given = (key: string) => (program.getOptionValueSource(key) === 'cli' ? (o[key] as string) : undefined);
  return {
    dir: program.args[0],
    choices: {
      layout: given('layout'),
      envs: given('envs'),
      regions: given('regions'),
      services: given('services'),
      modules: given('modules'),
      backend: given('backend'),
      lock: given('lock'),
      keyProvider: given('keyProvider'),
      ci: given('ci'),
      name: given('name'),
      owners: given('owners'),
      githubRepo: given('githubRepo'),
      gitlabProject: given('gitlabProject'),
      gitlabHost: given('gitlabHost'),
    },
    yes: Boolean(o.yes),
    dryRun: Boolean(o.dryRun),
    force: Boolean(o.force),
    skipValidate: Boolean(o.skipValidate),
  };
}
