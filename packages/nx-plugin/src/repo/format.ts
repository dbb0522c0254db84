import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import type { GeneratorCallback } from '@nx/devkit';
import { log } from './log.js';

const HCL = /\.(tf|tofu|tfvars)$/;

/** The directories holding the HCL files among `paths`, each once. */
export function hclDirectories(paths: string[]): string[] {
  return [...new Set(paths.filter((p) => HCL.test(p)).map((p) => dirname(p)))].sort();
}

/**
 * What Nx runs once the Tree is on disk (never on --dry-run): `tofu fmt` in every directory the
 * generator wrote HCL to. Without tofu it says how to format later instead of failing.
 */
export function formatWithTofu(workspaceRoot: string, directories: string[]): GeneratorCallback {
  return () => {
    if (directories.length === 0) return;
    const tofu = process.env.TOFU_BINARY || 'tofu';
    for (const dir of directories) {
      const r = spawnSync(tofu, ['fmt', '-no-color', dir], { cwd: workspaceRoot, encoding: 'utf8' });
      if (r.error) {
        log.info(`Notice: no tofu found (${tofu}), so nothing was formatted. Install OpenTofu 1.10+ and run: tofu fmt -recursive`);
        return;
      }
      if (r.status !== 0) log.info(`tofu fmt ${dir} failed:\n${(r.stderr || r.stdout).trim()}`);
    }
    log.info(`Formatted with tofu fmt: ${directories.join(', ')}`);
  };
}
