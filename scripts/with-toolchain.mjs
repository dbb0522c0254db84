#!/usr/bin/env node
// Runs a command with the toolchain on hand: its tofu first on PATH, its provider mirror through
// TF_CLI_CONFIG_FILE, moto's server in CTI_MOTO_SERVER. Usage: node scripts/with-toolchain.mjs <cmd> [args...]
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { readToolchain } from '../toolchain/paths.mjs';

const toolchain = readToolchain();
if (!toolchain) {
  console.error('with-toolchain: no toolchain yet: run `npm run toolchain` first.');
  process.exit(1);
}
const [cmd, ...args] = process.argv.slice(2);
const env = {
  ...process.env,
  PATH: `${dirname(toolchain.tofu)}:${process.env.PATH ?? ''}`,
  TOFU_BINARY: toolchain.tofu,
  TF_CLI_CONFIG_FILE: toolchain.cliConfig,
  ...(toolchain.motoServer ? { CTI_MOTO_SERVER: toolchain.motoServer } : {}),
};
const child = spawn(cmd, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
