import { basename, isAbsolute, relative, resolve } from 'node:path';
import { bundledPluginTarball } from '../engine/plugin-tarball.js';
import { loadTemplates } from '../engine/templates.js';
import { nextSteps } from '../repository/next-steps.js';
import { renderRepository, rootsOf } from '../repository/render.js';
import { resolveSpec, type RawChoices } from '../repository/resolve.js';
import { UsageError } from '../spec/errors.js';
import type { Spec } from '../spec/spec.js';
import type { ValidationReport } from '../validate/tofu.js';
import { VERSION } from '../version.js';
import { conflictError, inspectTarget, planWrite, writeRepository, type FileAction, type PlannedFile } from '../write/disk.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { EXIT_CODES } from './exit-codes.js';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  cwd: string;
}

/**
 * Lines to stdout and stderr. A reader that goes away (`| head -1`) makes the next write fail with
 * EPIPE: that stream then stays quiet, and the run goes on to its end and its exit code.
 */
function defaultIo(): Io {
  const line = (stream: NodeJS.WriteStream) => {
    let open = true;
    stream.on('error', () => (open = false));
    return (text: string) => {
      if (open) stream.write(`${text}\n`);
    };
  };
  return { out: line(process.stdout), err: line(process.stderr), env: process.env, stdinIsTTY: Boolean(process.stdin.isTTY), cwd: process.cwd() };
}

/** What --json prints: one object, the same facts the lines say. */
export interface JsonResult {
  exitCode: number;
  dir: string | undefined;
  dryRun: boolean;
  /** Whether files were written (a failure after writing keeps them). */
  written: boolean;
  /** Every file of the repository and what the run did (or, dry, would do) with it. */
  files: { path: string; action: FileAction }[];
  /** The OpenTofu roots, bootstrap first. */
  roots: string[];
  validation:
    | { status: 'skipped' | 'not-run' | 'no-tofu' }
    | { status: 'passed' | 'failed'; tofu: string; fmt: boolean; roots: { root: string; ok: boolean; seconds: number; output?: string }[] };
  errors: string[];
}

function describe(spec: Spec): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${spec.layout} layout, ${n(spec.envs.length, 'environment')}, ${n(spec.regions.length, 'region')}, ${spec.backend} backend, ${spec.keyProvider} encryption`;
}

/** Runs create-tofu-infra; resolves to the exit code. Never throws: every failure is a message and a documented exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const result: JsonResult = {
    exitCode: 0,
    dir: undefined,
    dryRun: false,
    written: false,
    files: [],
    roots: [],
    validation: { status: 'not-run' },
    errors: [],
  };
  // Before parsing succeeds, --json is known only from argv: a usage error still prints JSON.
  let json = argv.includes('--json');
  let ui = json ? { ...io, out: io.err } : io;
  try {
    // Subcommands first: a directory of that name is never scaffolded by accident.
    if (argv[0] === 'upgrade') return await (await import('./upgrade.js')).upgrade(argv.slice(1), io);
    if (argv[0] === 'render-from-manifest') return await (await import('./upgrade.js')).renderFromManifest(argv.slice(1), io);
    const args = parseArgs(argv, VERSION, (s) => io.out(s.replace(/\n$/, '')));
    if (args === undefined) return EXIT_CODES.ok.code;
    json = args.json;
    ui = json ? { ...io, out: io.err } : io;
    result.exitCode = await scaffold(args, ui, result);
  } catch (err) {
    result.exitCode = reportError(err, ui, result);
  }
  if (json) io.out(JSON.stringify(result, null, 2));
  return result.exitCode;
}

/** Flags (and prompts) -> spec -> plan -> disk -> tofu; every refusal happens before the first write. */
async function scaffold(args: ParsedArgs, io: Io, result: JsonResult): Promise<number> {
  const { dir, choices, force } = await askWhatIsMissing(args, io);
  const targetDir = resolve(io.cwd, dir);
  // Below the current directory: relative (`cd my-infra` works as printed); elsewhere: absolute.
  const below = relative(io.cwd, targetDir);
  const shown = below === '' ? '.' : below.startsWith('..') || isAbsolute(below) ? targetDir : below;
  result.dir = shown;
  result.dryRun = args.dryRun;
  const spec = resolveSpec(choices, { directoryName: basename(targetDir), generatorVersion: VERSION, allowUnknownRegions: args.allowUnknownRegions });
  const state = inspectTarget(targetDir, force);
  const plan = planWrite(targetDir, renderRepository(spec, loadTemplates(), { pluginTarball: bundledPluginTarball() }), state, args.existing);
  result.files = plan.map((f) => ({ path: f.path, action: f.action }));
  result.roots = rootsOf(spec).map((r) => r.path);
  const conflicts = conflictError(plan);
  if (args.dryRun) {
    printPlan(plan, spec, shown, io);
    if (conflicts) throw conflicts;
    io.out('Nothing was written.');
    return EXIT_CODES.ok.code;
  }
  if (conflicts) throw conflicts;
  io.out(`Scaffolding ${spec.name} in ${shown} (${describe(spec)})`);
  writeRepository(targetDir, plan, state);
  result.written = true;
  io.out(`  ✓ ${summary(plan)}`);
  for (const f of plan.filter((f) => f.action === 'keep')) io.out(`  kept as it was (--keep-existing): ${f.path}`);
  for (const f of plan.filter((f) => f.action === 'replace')) io.out(`  replaced (--overwrite): ${f.path}`);
  let code: number = EXIT_CODES.ok.code;
  if (args.skipValidate) {
    io.out('Skipped validation (--skip-validate).');
    result.validation = { status: 'skipped' };
  } else {
    code = await validate(spec, targetDir, shown, io, result);
    if (code === EXIT_CODES.invalid.code) return code;
  }
  printNextSteps(spec, shown, io);
  return code;
}

const count = (plan: PlannedFile[], action: FileAction) => plan.filter((f) => f.action === action).length;

function summary(plan: PlannedFile[], dry = false): string {
  const parts = [`${dry ? 'would write' : 'wrote'} ${count(plan, 'create') + count(plan, 'replace')} files`];
  if (count(plan, 'replace') > 0) parts.push(`${count(plan, 'replace')} of them replacing different ones`);
  if (count(plan, 'unchanged') > 0) parts.push(`${count(plan, 'unchanged')} already there as they are`);
  if (count(plan, 'keep') > 0) parts.push(`${count(plan, 'keep')} ${dry ? 'left' : 'kept'} as they are (--keep-existing)`);
  if (count(plan, 'conflict') > 0) parts.push(`${count(plan, 'conflict')} in conflict`);
  return parts.join('; ');
}

function printPlan(plan: PlannedFile[], spec: Spec, shown: string, io: Io): void {
  io.out(`Dry run: ${plan.length} files in ${shown} (${describe(spec)}): ${summary(plan, true)}`);
  for (const f of plan) io.out(`  ${f.action.padEnd(9)} ${f.path}`);
}

/** The prompts, when the run is interactive; then the directory must be known. */
async function askWhatIsMissing(args: ParsedArgs, io: Io): Promise<{ dir: string; choices: RawChoices; force: boolean }> {
  let { dir, choices, force } = args;
  if (!args.yes && !args.json && io.stdinIsTTY && !io.env.CI) {
    const { askChoices } = await import('./prompts.js');
    ({ dir, choices, force } = await askChoices({ dir, choices, force, cwd: io.cwd, allowUnknownRegions: args.allowUnknownRegions }));
  }
  if (dir === undefined || dir === '') {
    throw new UsageError(['missing the directory to create. Usage: create-tofu-infra <dir> [options] (e.g. create-tofu-infra my-infra --yes)']);
  }
  return { dir, choices, force };
}

function validationOf(report: ValidationReport): JsonResult['validation'] {
  const passed = Boolean(report.fmt?.ok) && report.roots.every((r) => r.ok);
  return {
    status: passed ? 'passed' : 'failed',
    tofu: report.tofu?.version ?? '',
    fmt: Boolean(report.fmt?.ok),
    roots: report.roots.map((r) => ({ root: r.root, ok: r.ok, seconds: r.seconds, ...(r.ok ? {} : { output: r.output.trim() }) })),
  };
}

/** tofu fmt, init and validate over every root: exit 0 when valid, 1 when tofu found a problem, 3 when there is no tofu to ask. */
async function validate(spec: Spec, targetDir: string, shown: string, io: Io, result: JsonResult): Promise<number> {
  const roots = rootsOf(spec).map((r) => r.path);
  io.out(`Validating with tofu: fmt, then init -backend=false + validate in ${roots.length} roots`);
  const { validateRepository } = await import('../validate/tofu.js');
  const report = await validateRepository(targetDir, roots, { log: io.out, env: io.env });
  if (!report.tofu) {
    result.validation = { status: 'no-tofu' };
    io.err('Not validated: no `tofu` found on PATH (or $TOFU_BINARY); the files are written (exit code 3).');
    io.err('Install OpenTofu 1.10 or newer (https://opentofu.org/docs/intro/install/), then run in each root: tofu init -backend=false && tofu validate');
    io.err('(Pass --skip-validate when a run without validation is intended: it exits 0.)');
    return EXIT_CODES.notValidated.code;
  }
  result.validation = validationOf(report);
  const failed = report.roots.filter((r) => !r.ok);
  if (report.fmt?.ok && failed.length === 0) {
    io.out(`  ✓ all ${report.roots.length} roots valid (tofu ${report.tofu.version})`);
    return EXIT_CODES.ok.code;
  }
  if (!report.fmt?.ok) io.err(`tofu fmt -check failed:\n${report.fmt?.output ?? ''}`);
  for (const r of failed) io.err(`${r.root}: tofu said:\n${r.output.trim()}`);
  io.err(`Validation failed (tofu ${report.tofu.version}). The files are kept in ${shown} for inspection.`);
  return EXIT_CODES.invalid.code;
}

function printNextSteps(spec: Spec, shown: string, io: Io): void {
  io.out('');
  io.out('Next steps:');
  if (shown !== '.') io.out(`  cd ${shown}`);
  const steps = nextSteps(spec);
  const width = Math.max(...steps.map((s) => s.command.length));
  for (const step of steps) io.out(`  ${step.command.padEnd(width)}  # ${step.why}`);
}

/** An error the operating system raised (a file system call that failed), with its path when it has one. */
function systemError(err: unknown): (Error & { code: string; path?: string; syscall?: string }) | undefined {
  const e = err as { code?: unknown; syscall?: unknown };
  return err instanceof Error && typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) ? (err as Error & { code: string }) : undefined;
}

/**
 * Every failure as a message and a documented exit code, never a stack trace: bad input 2, a
 * declined or interrupted prompt 130, a file system refusal 4, anything else (a bug) 70.
 */
function reportError(err: unknown, io: Io, result: JsonResult): number {
  const fail = (code: number, lines: string[]) => {
    result.errors.push(...lines);
    return code;
  };
  if (err instanceof UsageError) {
    for (const problem of err.problems) io.err(`create-tofu-infra: error: ${problem}`);
    io.err('Nothing was written.');
    return fail(EXIT_CODES.usage.code, err.problems);
  }
  if ((err as { name?: string }).name === 'ExitPromptError' || (err as { name?: string }).name === 'AbortPromptError') {
    io.err('Cancelled: nothing was written.');
    return fail(EXIT_CODES.cancelled.code, ['cancelled']);
  }
  const system = systemError(err);
  if (system) {
    const what = `could not write ${result.dir ?? 'the target'}: ${system.syscall ?? 'access'} ${system.path ?? ''}: ${system.code} (${system.message.replace(/^[A-Z0-9]+: /, '').replace(/, \w+ '.*'$/, '')})`;
    const line = `${what}. ${result.written ? `The files are written in ${result.dir ?? 'the target'}.` : 'Nothing was written.'}`;
    io.err(`create-tofu-infra: error: ${line}`);
    return fail(EXIT_CODES.io.code, [line]);
  }
  const line = `internal error: ${(err as Error).message ?? String(err)}`;
  io.err(`create-tofu-infra: ${line} (a bug: please report it; CREATE_TOFU_INFRA_DEBUG=1 prints the stack)`);
  if (io.env.CREATE_TOFU_INFRA_DEBUG) io.err((err as Error).stack ?? String(err));
  return fail(EXIT_CODES.internal.code, [line]);
}
