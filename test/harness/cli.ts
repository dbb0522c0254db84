import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'packages', 'create-tofu-infra', 'dist', 'cli.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI the way a user does: no TTY on stdin, CI set unless overridden. */
export async function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; bin?: string }): Promise<CliResult> {
  const bin = opts.bin ?? CLI;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npm run build).`);
  const r = await execa('node', [bin, ...args], { cwd: opts.cwd, env: { CI: 'true', ...opts.env }, reject: false, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}
