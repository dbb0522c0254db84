import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file (set KEEP_TMP=1 to keep it for inspection). */
export function tempDir(prefix = 'cti-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!process.env.KEEP_TMP) made.push(dir);
  return dir;
}
