// Where the toolchain lives. Shared by scripts/toolchain.mjs (which fills it) and the test
// harness (which reads it), so both agree without passing paths around.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

/** Root of the toolchain cache: $CTI_CACHE_DIR, else $XDG_CACHE_HOME/create-tofu-infra, else ~/.cache/create-tofu-infra. */
export function cacheRoot(env = process.env) {
  if (env.CTI_CACHE_DIR) return env.CTI_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'create-tofu-infra');
}

/** The file in which the toolchain records what it resolved (tofu path, CLI config, moto). */
export function toolchainEnvFile(env = process.env) {
  return join(cacheRoot(env), 'toolchain.json');
}

/**
 * Reads what the last `npm run toolchain` resolved, or returns undefined when it never ran.
 * @returns {undefined | { tofu: string, tofuVersion: string, tofuSource: string, cliConfig: string,
 *   pluginCacheDir: string, mirrorDir: string, motoServer: string, motoVersion: string, providers: {source: string, version: string}[] }}
 */
export function readToolchain(env = process.env) {
  try {
    return JSON.parse(readFileSync(toolchainEnvFile(env), 'utf8'));
  } catch {
    return undefined;
  }
}
