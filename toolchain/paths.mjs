// Where the toolchain lives. Shared by scripts/toolchain.mjs (which fills it) and the test
// harness (which reads it), so both agree without passing paths around.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const checkout = fileURLToPath(new URL('..', import.meta.url));

/** Root of the toolchain cache: $CTI_CACHE_DIR, else $XDG_CACHE_HOME/create-tofu-infra, else ~/.cache/create-tofu-infra. */
export function cacheRoot(env = process.env) {
  if (env.CTI_CACHE_DIR) return env.CTI_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'create-tofu-infra');
}

/**
 * The file in which the toolchain records what it resolved for this checkout (tofu path, CLI
 * config, moto). One per checkout: the built tools are shared, keyed by version, but two checkouts
 * whose templates use different aws services each get their own provider build.
 */
export function toolchainEnvFile(env = process.env) {
  const id = createHash('sha256').update(checkout).digest('hex').slice(0, 12);
  return join(cacheRoot(env), 'checkouts', `${id}.json`);
}

/**
 * Reads what the last `npm run toolchain` resolved, or returns undefined when it never ran.
 * @returns {undefined | { tofu: string, tofuVersion: string, tofuSource: string, cliConfig: string,
 *   lockFile: string, pluginCacheDir: string, mirrorDir: string, motoServer?: string, motoVersion: string,
 *   bao?: string, fakeGcs?: string,
 *   aws: { version: string, build: string, binary: string, services: string[], types: string[] },
 *   fullAws?: { cliConfig: string, lockFile: string, binary: string } }}
 */
export function readToolchain(env = process.env) {
  try {
    return JSON.parse(readFileSync(toolchainEnvFile(env), 'utf8'));
  } catch {
    return undefined;
  }
}
