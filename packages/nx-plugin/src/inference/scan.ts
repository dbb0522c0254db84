import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { localModuleSources, resolveSource } from './module-sources.js';

/** A directory holding OpenTofu configuration (.tf or .tofu files): a root or a module. */
export interface TofuDirectory {
  /** Workspace-relative, e.g. environments/dev. */
  path: string;
  /** Its .tf and .tofu files, workspace-relative, sorted. */
  files: string[];
  /** Local modules it calls, each with the file that calls it. */
  calls: { dir: string; file: string }[];
}

export const CONFIGURATION_FILE = /\.(tf|tofu)$/;

/** Local module calls of one file, read from disk. */
export function moduleCalls(workspaceRoot: string, file: string): { dir: string; file: string }[] {
  const text = readFileSync(join(workspaceRoot, file), 'utf8');
  const fileDir = posix.dirname(file);
  return localModuleSources(text).flatMap((source) => {
    const dir = resolveSource(fileDir, source);
    return dir === undefined ? [] : [{ dir, file }];
  });
}

/** Groups configuration files by directory and reads the local module calls of each. */
export function scanTofuDirectories(workspaceRoot: string, files: readonly string[]): Map<string, TofuDirectory> {
  const dirs = new Map<string, TofuDirectory>();
  for (const file of [...files].filter((f) => CONFIGURATION_FILE.test(f)).sort()) {
    const path = posix.dirname(file);
    let dir = dirs.get(path);
    if (!dir) {
      dir = { path, files: [], calls: [] };
      dirs.set(path, dir);
    }
    dir.files.push(file);
    dir.calls.push(...moduleCalls(workspaceRoot, file));
  }
  return dirs;
}

/**
 * A directory is a module when another directory calls it, or when it sits under a folder named
 * `modules` (a module no root uses yet); every other directory is a root.
 */
export function isModule(dir: TofuDirectory, called: ReadonlySet<string>): boolean {
  return called.has(dir.path) || dir.path.split('/').includes('modules');
}

/** Every directory some other directory calls as a module. */
export function calledDirectories(dirs: Map<string, TofuDirectory>): Set<string> {
  return new Set([...dirs.values()].flatMap((d) => d.calls.map((c) => c.dir).filter((target) => target !== d.path)));
}

/** Whether a module carries tofu tests: <module>/tests/*.tftest.hcl or <module>/*.tftest.hcl, where `tofu test` looks. */
export function hasTests(dir: string, files: readonly string[]): boolean {
  return files.some((f) => f.endsWith('.tftest.hcl') && [dir, `${dir}/tests`].includes(posix.dirname(f)));
}

/** The environments of a workspace-layout root: one per <root>/environments/<env>.tfvars. */
export function workspaceEnvironments(root: string, files: readonly string[]): string[] {
  const prefix = root === '.' ? 'environments/' : `${root}/environments/`;
  return files
    .filter((f) => f.startsWith(prefix) && f.endsWith('.tfvars') && !f.slice(prefix.length).includes('/'))
    .map((f) => f.slice(prefix.length, -'.tfvars'.length))
    .sort();
}
