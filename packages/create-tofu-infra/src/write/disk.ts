import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../spec/errors.js';
import type { GeneratedFile } from '../spec/spec.js';

export type TargetState = 'missing' | 'empty' | 'non-empty';

/** The longest file name (NAME_MAX) and path (PATH_MAX) Linux and macOS accept. */
const NAME_MAX = 255;
const PATH_MAX = 1024;

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

const nothingThere = (err: unknown) => code(err) === 'ENOENT' || code(err) === 'ENOTDIR';

/** lstat, or undefined when nothing is there (any other error is the caller's to report). */
function lstatOrNothing(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if (nothingThere(err)) return undefined;
    throw err;
  }
}

/** stat (through symbolic links), or undefined when nothing is there. */
function statOrNothing(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    if (nothingThere(err)) return undefined;
    throw err;
  }
}

function checkLengths(target: string): void {
  const long = target.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined) {
    throw new UsageError([
      `the directory name "${long.slice(0, 40)}..." is ${Buffer.byteLength(long)} bytes long; a file name may have at most ${NAME_MAX}. Pick a shorter name`,
    ]);
  }
  if (Buffer.byteLength(target) > PATH_MAX - 200) {
    throw new UsageError([
      `the path ${target.slice(0, 60)}... is too long (${Buffer.byteLength(target)} bytes) to hold the repository's files. Pick a shorter path`,
    ]);
  }
}

/** Whether this process may create entries in `dir`. */
function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A missing target: its nearest existing ancestor must be a writable directory. */
function checkCreatable(target: string): void {
  let dir = dirname(target);
  for (;;) {
    const stat = statOrNothing(dir);
    if (stat && !stat.isDirectory()) {
      throw new UsageError([`${dir} is a file, so ${target} cannot be created under it. Pass a path whose parents are directories (or do not exist yet)`]);
    }
    if (stat || dir === dirname(dir)) break;
    dir = dirname(dir);
  }
  if (!writable(dir)) throw new UsageError([`${dir} is not writable by you, so ${target} cannot be created there. Pass a directory you may write to`]);
}

/**
 * Checks the target before anything is rendered or written; bad targets are usage errors (exit 2):
 * a file or a symbolic link on the path, a name or path too long, a parent you cannot write to, a
 * non-empty directory without --force.
 */
export function inspectTarget(targetDir: string, force: boolean): TargetState {
  const target = resolve(targetDir);
  checkLengths(target);
  const stat = lstatOrNothing(target);
  if (stat === undefined) {
    checkCreatable(target);
    return 'missing';
  }
  if (stat.isSymbolicLink()) {
    throw new UsageError([`${targetDir} is a symbolic link; create-tofu-infra never writes through one. Pass the directory it points to, or a new directory`]);
  }
  if (!stat.isDirectory()) throw new UsageError([`${targetDir} exists and is a file, not a directory. Pass a new or empty directory`]);
  if (!writable(target)) throw new UsageError([`${targetDir} is not writable by you. Pass a directory you may write to`]);
  const entries = readdirSync(target);
  if (entries.length === 0) return 'empty';
  if (!force) {
    throw new UsageError([
      `${targetDir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). Pass a new or empty directory, or --force to write into it (it refuses, before writing anything, if a file there differs from the one it would write)`,
    ]);
  }
  return 'non-empty';
}

/**
 * What writing a file does: `create` (nothing there), `replace` (a different file there, --overwrite),
 * `unchanged` (the same content there), `keep` (a different file there, --keep-existing), `conflict`
 * (a different file there and neither flag; or a directory or symbolic link in the way, which no flag overrides).
 */
export type FileAction = 'create' | 'replace' | 'unchanged' | 'keep' | 'conflict';

export interface PlannedFile extends GeneratedFile {
  action: FileAction;
  /** Why a conflict is one. */
  reason?: string;
}

/** What to do with a file already there that differs (--force: refuse; --keep-existing: keep; --overwrite: replace). */
export type ExistingPolicy = 'refuse' | 'keep' | 'overwrite';

/** The first path from the target down to `path` (exclusive) that is not a directory, if any. */
function blockedBy(target: string, path: string): string | undefined {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const stat = lstatOrNothing(join(target, prefix));
    if (stat === undefined) return undefined;
    if (!stat.isDirectory()) return prefix;
  }
  return undefined;
}

function planFile(target: string, file: GeneratedFile, policy: ExistingPolicy): PlannedFile {
  const blocker = blockedBy(target, file.path);
  if (blocker !== undefined) return { ...file, action: 'conflict', reason: `${blocker} is a file where a directory is needed` };
  const stat = lstatOrNothing(join(target, file.path));
  if (stat === undefined) return { ...file, action: 'create' };
  if (stat.isSymbolicLink()) return { ...file, action: 'conflict', reason: 'a symbolic link is in the way' };
  if (!stat.isFile()) return { ...file, action: 'conflict', reason: 'a directory is in the way' };
  // Byte comparison: a generated file may be bytes (the packed plugin), not text.
  if (readFileSync(join(target, file.path)).equals(Buffer.from(file.content))) return { ...file, action: 'unchanged' };
  const action = policy === 'keep' ? 'keep' : policy === 'overwrite' ? 'replace' : 'conflict';
  return { ...file, action, ...(action === 'conflict' ? { reason: 'differs from the file it would write' } : {}) };
}

/**
 * Plans every write before any: each file with what writing it does. Pure but for reading the
 * target (missing or empty: everything is created).
 */
export function planWrite(targetDir: string, files: GeneratedFile[], state: TargetState, policy: ExistingPolicy): PlannedFile[] {
  if (state !== 'non-empty') return files.map((f) => ({ ...f, action: 'create' }));
  const target = resolve(targetDir);
  return files.map((f) => planFile(target, f, policy));
}

/** The refusal for a plan with conflicts (nothing written yet), naming each file; undefined when there are none. */
export function conflictError(plan: PlannedFile[]): UsageError | undefined {
  const conflicts = plan.filter((f) => f.action === 'conflict');
  if (conflicts.length === 0) return undefined;
  const overridable = conflicts.every((f) => f.reason === 'differs from the file it would write');
  return new UsageError([
    [
      `${conflicts.length} file${conflicts.length === 1 ? '' : 's'} already there would be overwritten:`,
      ...conflicts.map((f) => `  ${f.path}: ${f.reason ?? ''}`),
      overridable
        ? 'Move them away, or pass --keep-existing to leave them as they are (and write the rest), or --overwrite to replace them'
        : 'Move the files and links in the way elsewhere (no flag writes through them), then run it again',
    ].join('\n'),
  ]);
}

/** A file to write: what was generated, or a plan's entry that writes. */
const writes = (f: GeneratedFile | PlannedFile) => !('action' in f) || f.action === 'create' || f.action === 'replace';

/**
 * mkdir -p, one level at a time: Node's own recursive mkdir never returns on some file systems
 * (/proc), where each level's error then says what went wrong. Returns the first directory it created.
 */
function makeDirectories(dir: string): string | undefined {
  if (statOrNothing(dir)?.isDirectory()) return undefined;
  const parent = dirname(dir);
  const first = parent === dir ? undefined : makeDirectories(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if (first) rmSync(first, { recursive: true, force: true });
    throw err;
  }
  return first ?? dir;
}

/**
 * Writes a repository all-or-nothing. Every file is first written to a staging directory: beside
 * a missing target, which it then becomes in one rename; inside an existing target (empty, non-empty
 * with --force, or `.`), whose files it is then moved into one by one — the directory itself is
 * never replaced. A failure there puts back what was replaced and removes what was created. An
 * interrupt (SIGINT/SIGTERM) while staging removes the staging directory.
 */
export function writeRepository(targetDir: string, files: (GeneratedFile | PlannedFile)[], state: TargetState): void {
  const target = resolve(targetDir);
  const missing = state === 'missing';
  const createdParent = missing ? makeDirectories(dirname(target)) : undefined;
  const staging = missing ? join(dirname(target), `.create-tofu-infra-${process.pid}`) : join(target, `.create-tofu-infra-${process.pid}`);
  const cleanup = () => {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`\ninterrupted (${signal}): nothing was written to ${targetDir}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Plain mkdir first: the staging directory's parent exists, and from here on recursive mkdir is safe.
    mkdirSync(staging);
    const toWrite = files.filter(writes);
    for (const file of toWrite) {
      const path = join(staging, 'new', file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    if (missing) renameSync(join(staging, 'new'), target);
    else moveInto(target, staging, toWrite);
    rmSync(staging, { recursive: true, force: true });
  } catch (err) {
    cleanup();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Moves staged files into an existing target; on any failure undoes every move so far and rethrows. */
function moveInto(target: string, staging: string, files: GeneratedFile[]): void {
  const undo: (() => void)[] = [];
  try {
    for (const file of files) {
      const dest = join(target, file.path);
      const madeDir = mkdirSync(dirname(dest), { recursive: true });
      if (madeDir) undo.push(() => rmSync(madeDir, { recursive: true, force: true }));
      if (lstatOrNothing(dest)) {
        const original = join(staging, 'originals', file.path);
        mkdirSync(dirname(original), { recursive: true });
        renameSync(dest, original);
        undo.push(() => renameSync(original, dest));
      } else {
        undo.push(() => rmSync(dest, { force: true }));
      }
      renameSync(join(staging, 'new', file.path), dest);
    }
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Best effort: the remaining steps still run.
      }
    }
    throw err;
  }
}
