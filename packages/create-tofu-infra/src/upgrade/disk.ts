import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE } from '../repository/manifest.js';
import type { GeneratedFile } from '../spec/spec.js';
import type { FilePlan } from './plan.js';

/**
 * The thin writer of an upgrade on disk: each planned change, then the manifest with the new
 * version, but only when no file conflicts (a conflicted upgrade is not complete: resolve the
 * markers and run upgrade again, which finds the resolved files merged). Returns the paths written.
 */
export function applyUpgrade(dir: string, changes: FilePlan[], manifestText: string | undefined, binaries: GeneratedFile[] = []): string[] {
  const written: string[] = [];
  for (const change of changes) {
    const path = join(dir, change.path);
    if (change.action === 'delete') {
      rmSync(path, { force: true });
    } else if (change.content !== undefined) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, change.content);
      if (change.rejects !== undefined) writeFileSync(`${path}.rej`, change.rejects);
    }
    written.push(change.path);
  }
  for (const file of binaries) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
    written.push(file.path);
  }
  if (manifestText !== undefined && !changes.some((c) => c.action === 'conflict')) {
    writeFileSync(join(dir, MANIFEST_FILE), manifestText);
    written.push(MANIFEST_FILE);
  }
  return written;
}
