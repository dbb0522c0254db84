import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { loadTemplates, type Templates } from '../engine/templates.js';
import { MANIFEST_FILE, readManifest } from '../repository/manifest.js';
import { bundledPluginTarball } from '../engine/plugin-tarball.js';
import { renderRepository } from '../repository/render.js';
import { UsageError } from '../spec/errors.js';
import { applyUpgrade } from '../upgrade/disk.js';
import { reinitAdvice } from '../upgrade/guards.js';
import { changesOf, type FilePlan } from '../upgrade/plan.js';
import { continueUpgrade, manifestBehind, prepareUpgrade, type PreparedUpgrade } from '../upgrade/prepare.js';
import { VERSION } from '../version.js';
import { inspectTarget, writeRepository } from '../write/disk.js';
import type { Io } from './main.js';

interface UpgradeArgs {
  dir: string;
  dryRun: boolean;
  diff: boolean;
  check: boolean;
  allowDirty: boolean;
  continue: boolean;
  baseFrom: string | undefined;
  conflict: 'markers' | 'rej';
}

const EXAMPLES = `
Examples:
  $ npx create-tofu-infra upgrade --dry-run --diff
  $ npx create-tofu-infra upgrade
  $ npx create-tofu-infra upgrade --continue       # after resolving conflicts: record the version
  $ npx create-tofu-infra upgrade --check          # CI: exit 1 when the repository is behind
  $ npx create-tofu-infra upgrade --base-from ./create-tofu-infra-0.1.0.tgz   # offline

Each file: unchanged by you -> replaced; changed by you and by the template -> three-way merge
(conflicts marked, exit 1); deleted by you -> left deleted; new -> created; dropped -> removed
only if you never changed it. State, lock files and *.tfvars values you set are never touched.
Exit codes: 0 done (or up to date), 1 conflicts (or --check: behind), 2 bad input or refused (nothing changed).`;

function parseUpgradeArgs(argv: string[]): UpgradeArgs | undefined {
  const program = new Command('create-tofu-infra upgrade')
    .description('Bring a repository made by create-tofu-infra up to this version: the old and the new rendering, merged three ways with your edits.')
    .argument('[dir]', 'the generated repository (holds tofu-infra.json)', '.')
    .option('--dry-run', 'print the plan (create, update, merge, conflict, delete, keep) and change nothing', false)
    .option('--diff', 'with the plan, print a unified diff of every file it would change', false)
    .option('--check', 'change nothing; exit 1 listing the stale files when the repository is behind this version', false)
    .option('--continue', 'after resolving the conflicts of an upgrade: check no marker or .rej is left, then record the new version', false)
    .option('--allow-dirty', 'run on a git working tree with uncommitted changes (or outside git)', false)
    .option(
      '--base-from <path>',
      'the recorded version of create-tofu-infra, offline: its checkout, package directory or packed .tgz (default: npx create-tofu-infra@<recorded version>)',
    )
    .addOption(
      new Option('--conflict <style>', 'how conflicts are written: markers (git-style, in the file) or rej (your side kept, the hunks in <file>.rej)')
        .choices(['markers', 'rej'])
        .default('markers'),
    )
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .allowExcessArguments(false);
  let captured = '';
  program.exitOverride().configureOutput({ writeErr: (s) => (captured += s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) return undefined;
    const message = (captured || (err as Error).message).replace(/^error: /, '').trim();
    throw new UsageError([`${message}. Run create-tofu-infra upgrade --help for every option`]);
  }
  const o = program.opts();
  return {
    dir: program.args[0] ?? '.',
    dryRun: Boolean(o.dryRun),
    diff: Boolean(o.diff),
    check: Boolean(o.check),
    allowDirty: Boolean(o.allowDirty),
    continue: Boolean(o.continue),
    baseFrom: o.baseFrom as string | undefined,
    conflict: o.conflict as 'markers' | 'rej',
  };
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function readJsonFile(path: string): unknown {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError([`${MANIFEST_FILE} is not valid JSON (${(err as Error).message}): fix it by hand, then upgrade.`]);
  }
}

/** Refuses a git working tree with uncommitted changes (an upgrade must be reviewable and undoable with git). */
function checkClean(dir: string): void {
  const r = spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new UsageError([
      `${dir} is not in a git working tree, so the upgrade could not be reviewed or undone: commit it to git first, or pass --allow-dirty.`,
    ]);
  }
  if (r.stdout.trim() !== '') {
    const files = r.stdout.trim().split('\n').slice(0, 5).join('; ');
    throw new UsageError([
      `the git working tree has uncommitted changes (${files}): commit or stash them first, so the upgrade can be reviewed as one diff, or pass --allow-dirty.`,
    ]);
  }
}

const VERB: Record<FilePlan['action'], string> = {
  create: 'create',
  update: 'update',
  merge: 'merge',
  conflict: 'CONFLICT',
  delete: 'delete',
  keep: 'keep',
  deleted: 'deleted',
  current: 'current',
};

function printPlan(plan: FilePlan[], io: Io): void {
  for (const f of plan.filter((p) => p.action !== 'current')) {
    io.out(`  ${VERB[f.action].padEnd(8)} ${f.path}${f.reason ? `  (${f.reason})` : ''}`);
  }
}

function printDiff(dir: string, changes: FilePlan[], io: Io): void {
  for (const f of changes) {
    const before = readText(join(dir, f.path)) ?? '';
    const after = f.action === 'delete' ? '' : (f.content ?? '');
    io.out(createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, before, after, '', '', { context: 3 }).replace(/^=+\n/, '').trimEnd());
  }
}

/** create-tofu-infra upgrade [dir]: check -> prepare (pure plan) -> print -> write; resolves to the exit code. */
export async function upgrade(argv: string[], io: Io): Promise<number> {
  const args = parseUpgradeArgs(argv);
  if (!args) return 0;
  const dir = resolve(io.cwd, args.dir);
  const shown = relative(io.cwd, dir) || '.';
  const manifestValue = readJsonFile(join(dir, MANIFEST_FILE));
  const readOurs = (path: string) => readText(join(dir, path));
  const templates = loadTemplates();
  if (args.continue) return continueAfterConflicts(dir, manifestValue, readOurs, templates, io);
  const writes = !args.dryRun && !args.check;
  if (manifestValue !== undefined && writes && !args.allowDirty) checkClean(dir);
  const prepared = prepareUpgrade({
    manifestValue,
    readOurs,
    templates,
    version: VERSION,
    baseFrom: args.baseFrom,
    conflictStyle: args.conflict,
    pluginTarball: bundledPluginTarball(),
  });
  const recorded = `${prepared.manifest.generatorVersion} (${prepared.manifest.templates ?? 'no template fingerprint'})`;
  const current = `${VERSION} (${templates.fingerprint})`;
  if (prepared.upToDate) {
    io.out(`${shown} is up to date with create-tofu-infra ${VERSION}: nothing to do.`);
    return 0;
  }
  const changes = changesOf(prepared.plan);
  if (args.check) return reportStale(prepared, changes, recorded, current, readOurs, io);

  io.out(`${args.dryRun ? 'Dry run: ' : ''}upgrading ${shown} from create-tofu-infra ${recorded} to ${current}:`);
  printPlan(prepared.plan, io);
  if (args.diff) printDiff(dir, changes, io);
  const conflicts = changes.filter((c) => c.action === 'conflict');
  if (prepared.reinit.length > 0) io.out(reinitAdvice(prepared.reinit));
  if (args.dryRun) {
    io.out(`${changes.length} file(s) would change${conflicts.length ? `, ${conflicts.length} with conflicts` : ''}. Nothing was changed.`);
    return 0;
  }
  applyUpgrade(dir, changes, prepared.manifestText, prepared.binaries);
  if (conflicts.length > 0) {
    io.err(`${conflicts.length} file(s) conflict: your change and the template's touch the same lines.`);
    for (const c of conflicts) io.err(`  ${c.path}${c.rejects !== undefined ? ` (see ${c.path}.rej)` : ''}`);
    io.err(
      `Resolve them (search for <<<<<<< yours; delete the .rej files), then run create-tofu-infra upgrade --continue to record ${VERSION} in ${MANIFEST_FILE}.`,
    );
    return 1;
  }
  io.out(`  ✓ ${changes.length} file(s) changed; ${MANIFEST_FILE} now records ${VERSION}. Review with git diff, then run tofu fmt -recursive and validate.`);
  return 0;
}

function continueAfterConflicts(dir: string, manifestValue: unknown, readOurs: (path: string) => string | undefined, templates: Templates, io: Io): number {
  const { unresolved, manifestText } = continueUpgrade({ manifestValue, readOurs, templates, version: VERSION });
  if (unresolved.length > 0) {
    io.err(`Still unresolved (a <<<<<<< yours marker or a .rej file): ${unresolved.join(', ')}. Resolve them, then run upgrade --continue again.`);
    return 1;
  }
  if (readOurs(MANIFEST_FILE) !== manifestText) writeFileSync(join(dir, MANIFEST_FILE), manifestText);
  io.out(`  ✓ no conflict left; ${MANIFEST_FILE} now records ${VERSION}.`);
  return 0;
}

function reportStale(
  prepared: PreparedUpgrade,
  changes: FilePlan[],
  recorded: string,
  current: string,
  readOurs: (path: string) => string | undefined,
  io: Io,
): number {
  const behind = manifestBehind(prepared, readOurs);
  if (changes.length === 0 && !behind) {
    io.out(`Up to date with create-tofu-infra ${VERSION}.`);
    return 0;
  }
  io.out(`Behind create-tofu-infra ${current} (rendered by ${recorded}); npx create-tofu-infra upgrade would change:`);
  for (const c of changes) io.out(`  ${VERB[c.action].padEnd(8)} ${c.path}`);
  if (behind) io.out(`  update   ${MANIFEST_FILE}`);
  return 1;
}

/**
 * Hidden: render-from-manifest <tofu-infra.json> <out>: the repository a manifest describes, as
 * this version renders it, written to a new directory. A later version's upgrade renders its base
 * with it (versions whose manifest records "templates" have it).
 */
export async function renderFromManifest(argv: string[], io: Io): Promise<number> {
  const [manifestPath, out] = argv;
  if (!manifestPath || !out || argv.length !== 2) throw new UsageError(['usage: create-tofu-infra render-from-manifest <tofu-infra.json> <out-dir>']);
  const value = readJsonFile(resolve(io.cwd, manifestPath));
  if (value === undefined) throw new UsageError([`render-from-manifest: no such file: ${manifestPath}`]);
  const read = readManifest(value);
  if ('problems' in read) throw new UsageError(read.problems);
  const target = resolve(io.cwd, out);
  const state = inspectTarget(target, false);
  writeRepository(target, renderRepository(read.spec, loadTemplates(), { encryption: read.manifest.keyChange, pluginTarball: bundledPluginTarball() }), state);
  return 0;
}
