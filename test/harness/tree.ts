import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A directory tree byte for byte, as sorted lines: every entry's path, type, mode and content hash
 * (a link: its target). Two equal fingerprints mean nothing was created, changed or removed.
 */
export function treeFingerprint(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((path) => {
      const full = join(dir, path);
      const stat = lstatSync(full);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) return `${path} link ${readlinkSync(full)}`;
      if (stat.isDirectory()) return `${path} dir ${mode}`;
      return `${path} file ${mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
    });
}

/** A stack trace line (`    at fn (file:line:col)`), which no input may ever print. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
