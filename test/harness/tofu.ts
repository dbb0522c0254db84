import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type Result } from 'execa';
import { tofuEnv, toolchain } from './toolchain.js';

/** Runs the real tofu in `cwd` with the toolchain's CLI config. Never throws: callers assert on the result. */
export async function tofu(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result<{ all: true; reject: false }>> {
  // With a lock file, init links the cached provider instead of rewriting the shared cache entry
  // (which races with the other test files' tofu runs).
  if (args[0] === 'init' && !existsSync(join(cwd, '.terraform.lock.hcl'))) copyFileSync(toolchain().lockFile, join(cwd, '.terraform.lock.hcl'));
  return execa(
    toolchain().tofu,
    [...args, '-no-color'].filter((a, i, all) => a !== '-no-color' || i === all.length - 1),
    {
      cwd,
      env: tofuEnv(env),
      all: true,
      reject: false,
    },
  ) as Promise<Result<{ all: true; reject: false }>>;
}

/** init -backend=false + validate; returns tofu's combined output and whether both passed. */
export async function initAndValidate(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ ok: boolean; output: string }> {
  const init = await tofu(cwd, ['init', '-backend=false', '-input=false'], env);
  if (init.exitCode !== 0) return { ok: false, output: init.all };
  const validate = await tofu(cwd, ['validate'], env);
  return { ok: validate.exitCode === 0, output: validate.all };
}
