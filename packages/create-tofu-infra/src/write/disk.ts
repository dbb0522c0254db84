import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../spec/errors.js';
import type { GeneratedFile } from '../spec/spec.js';

export type TargetState = 'missing' | 'empty' | 'non-empty';

/** Checks the target before anything is rendered or written; bad targets are usage errors (exit 2). */
export function inspectTarget(targetDir: string, force: boolean): TargetState {
  if (!existsSync(targetDir)) return 'missing';
  if (!statSync(targetDir).isDirectory()) {
    throw new UsageError([`${targetDir} exists and is a file, not a directory. Pass a new or empty directory.`]);
  }
  const entries = readdirSync(targetDir);
  if (entries.length === 0) return 'empty';
  if (!force) {
    throw new UsageError([
      `${targetDir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). Pass a new or empty directory, or --force to write into it (files it does not generate are never deleted; files it generates are overwritten).`,
    ]);
  }
  return 'non-empty';
}

/**
 * Writes a repository all-or-nothing: every file goes into a staging directory beside the target
 * first, which then replaces the (missing or empty) target in one rename. With --force into a
 * non-empty directory, staged files are moved over their targets one by one, and nothing else in
 * the directory is touched. An interrupt (SIGINT/SIGTERM) while staging removes the staging directory.
 */
export function writeRepository(targetDir: string, files: GeneratedFile[], state: TargetState): void {
  const target = resolve(targetDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.create-tofu-infra-${process.pid}`);
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`\ninterrupted (${signal}): nothing was written to ${targetDir}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    if (state === 'non-empty') {
      for (const file of files) {
        mkdirSync(dirname(join(target, file.path)), { recursive: true });
        renameSync(join(staging, file.path), join(target, file.path));
      }
      cleanup();
    } else {
      if (state === 'empty') rmdirSync(target);
      renameSync(staging, target);
    }
  } catch (err) {
    cleanup();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
