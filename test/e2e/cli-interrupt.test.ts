// An interrupted run leaves either nothing or the complete repository, never a partial one, and
// never a staging directory. Signals are sent at many points of the run, from start-up to the end.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function interruptAfter(parent: string, ms: number, signal: NodeJS.Signals): Promise<void> {
  const child = spawn('node', [CLI, 'out', '--yes', '--skip-validate', '--name', 'acme'], {
    cwd: parent,
    stdio: 'ignore',
    env: { ...process.env, CI: 'true' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise((r) => setTimeout(r, ms));
  child.kill(signal);
  await exited;
}

describe('interrupting create-tofu-infra', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s at any moment leaves nothing or everything', { timeout: 180_000 }, async (signal) => {
    const reference = tempDir('cti-ref-');
    expect((await runCli(['out', '--yes', '--skip-validate', '--name', 'acme'], { cwd: reference })).exitCode).toBe(0);
    const complete = filesUnder(join(reference, 'out'));

    let stoppedEarly = 0;
    for (let ms = 0; ms <= 600; ms += 25) {
      const parent = tempDir('cti-int-');
      await interruptAfter(parent, ms, signal);
      const entries = readdirSync(parent);
      expect(
        entries.filter((e) => e.startsWith('.')),
        `staging left after ${ms} ms`,
      ).toEqual([]);
      if (existsSync(join(parent, 'out'))) expect(filesUnder(join(parent, 'out')), `partial repository after ${ms} ms`).toEqual(complete);
      else stoppedEarly++;
    }
    // Some runs must have been stopped before the end, or the test proves nothing.
    expect(stoppedEarly).toBeGreaterThan(0);
  });
});
