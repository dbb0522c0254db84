import { basename, relative, resolve } from 'node:path';
import { loadTemplates } from '../engine/templates.js';
import { renderRepository, rootsOf } from '../repository/render.js';
import { resolveSpec, type RawChoices } from '../repository/resolve.js';
import { UsageError } from '../spec/errors.js';
import type { Spec } from '../spec/spec.js';
import { VERSION } from '../version.js';
import { inspectTarget, writeRepository } from '../write/disk.js';
import { parseArgs, type ParsedArgs } from './args.js';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  cwd: string;
}

const defaultIo = (): Io => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stdinIsTTY: Boolean(process.stdin.isTTY),
  cwd: process.cwd(),
});

function describe(spec: Spec): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${spec.layout} layout, ${n(spec.envs.length, 'environment')}, ${n(spec.regions.length, 'region')}, ${spec.backend} backend, ${spec.keyProvider} encryption`;
}

/** Runs create-tofu-infra; resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    // Subcommands first: a directory of that name is never scaffolded by accident.
    if (argv[0] === 'upgrade') return await (await import('./upgrade.js')).upgrade(argv.slice(1), io);
    if (argv[0] === 'render-from-manifest') return await (await import('./upgrade.js')).renderFromManifest(argv.slice(1), io);
    const args = parseArgs(argv, VERSION);
    return args ? await scaffold(args, io) : 0;
  } catch (err) {
    return reportError(err, io);
  }
}

/** Flags (and prompts) -> spec -> files -> disk -> tofu; every refusal happens before the first write. */
async function scaffold(args: ParsedArgs, io: Io): Promise<number> {
  const { dir, choices } = await askWhatIsMissing(args, io);
  const targetDir = resolve(io.cwd, dir);
  const spec = resolveSpec(choices, { directoryName: basename(targetDir), generatorVersion: VERSION });
  const state = inspectTarget(targetDir, args.force);
  const files = renderRepository(spec, loadTemplates());
  const shown = relative(io.cwd, targetDir) || '.';
  if (args.dryRun) {
    io.out(`Dry run: would write ${files.length} files to ${shown} (${describe(spec)}):`);
    for (const f of files) io.out(`  ${f.path}`);
    io.out('Nothing was written.');
    return 0;
  }
  io.out(`Scaffolding ${spec.name} in ${shown} (${describe(spec)})`);
  writeRepository(targetDir, files, state);
  io.out(`  ✓ wrote ${files.length} files`);
  if (args.skipValidate) io.out('Skipped validation (--skip-validate).');
  else if (!(await validate(spec, targetDir, shown, io))) return 1;
  printNextSteps(spec, shown, io);
  return 0;
}

/** The prompts, when the run is interactive; then the directory must be known. */
async function askWhatIsMissing(args: ParsedArgs, io: Io): Promise<{ dir: string; choices: RawChoices }> {
  let { dir, choices } = args;
  if (!args.yes && io.stdinIsTTY && !io.env.CI) {
    const { askChoices } = await import('./prompts.js');
    ({ dir, choices } = await askChoices(dir, choices));
  }
  if (dir === undefined || dir === '') {
    throw new UsageError(['missing the directory to create. Usage: create-tofu-infra <dir> [options] (e.g. create-tofu-infra my-infra --yes)']);
  }
  return { dir, choices };
}

/** tofu fmt, init and validate over every root; false when tofu found a problem (without tofu: a notice, and true). */
async function validate(spec: Spec, targetDir: string, shown: string, io: Io): Promise<boolean> {
  const roots = rootsOf(spec).map((r) => r.path);
  io.out(`Validating with tofu: fmt, then init -backend=false + validate in ${roots.length} roots`);
  const { validateRepository } = await import('../validate/tofu.js');
  const report = await validateRepository(targetDir, roots, { log: io.out, env: io.env });
  if (!report.tofu) {
    io.err('Notice: no `tofu` found on PATH (or $TOFU_BINARY), so the repository was not validated; the files are written.');
    io.err('Install OpenTofu 1.10 or newer (https://opentofu.org/docs/intro/install/), then run in each root: tofu init -backend=false && tofu validate');
    return true;
  }
  const failed = report.roots.filter((r) => !r.ok);
  if (report.fmt?.ok && failed.length === 0) {
    io.out(`  ✓ all ${report.roots.length} roots valid (tofu ${report.tofu.version})`);
    return true;
  }
  if (!report.fmt?.ok) io.err(`tofu fmt -check failed:\n${report.fmt?.output ?? ''}`);
  for (const r of failed) io.err(`${r.root}: tofu said:\n${r.output.trim()}`);
  io.err(`Validation failed (tofu ${report.tofu.version}). The files are kept in ${shown} for inspection.`);
  return false;
}

function printNextSteps(spec: Spec, shown: string, io: Io): void {
  io.out('');
  io.out('Next steps:');
  io.out(`  cd ${shown}`);
  io.out('  less README.md                            # layout, bootstrap order, daily commands');
  if (rootsOf(spec).some((r) => r.kind === 'bootstrap')) {
    io.out('  (cd bootstrap && tofu init && tofu apply)  # state buckets, keys, lock tables, CI policies');
  }
  io.out('  npm install                               # Nx + plugin: nx g add-environment, nx affected -t validate');
}

/** Bad input: exit 2, nothing written; a cancelled prompt: 130; anything else is a bug: 1, with its stack. */
function reportError(err: unknown, io: Io): number {
  if (err instanceof UsageError) {
    for (const problem of err.problems) io.err(`create-tofu-infra: error: ${problem}`);
    io.err('Nothing was written.');
    return 2;
  }
  if ((err as { name?: string }).name === 'ExitPromptError') {
    io.err('Cancelled: nothing was written.');
    return 130;
  }
  io.err(`create-tofu-infra: ${(err as Error).stack ?? String(err)}`);
  return 1;
}
