// Runtime guard for the trimmed aws provider. Types are not enough: resources reach other services'
// clients at run time, and a client of a service the build left out panics ("Plugin did not
// respond"). So the default environment root (network, application, database modules) is applied
// against moto with the trimmed build and compared with what the whole provider created there,
// recorded once in toolchain/aws-runtime-baseline.json by:
//
//   npm run toolchain -- --full-aws && CTI_RECORD_AWS_RUNTIME=1 node scripts/with-toolchain.mjs npx vitest run test/toolchain/aws-runtime.test.ts
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/cli.js';
import { pointAtMoto, scaffold } from '../harness/generated.js';
import { startMoto, type Moto } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';
import { toolchain } from '../harness/toolchain.js';

const BASELINE = join(REPO, 'toolchain', 'aws-runtime-baseline.json');
const RECORD = process.env.CTI_RECORD_AWS_RUNTIME === '1';
/** An apply that hangs on a missing client must fail the test, not the whole run. */
const APPLY_TIMEOUT_MS = 8 * 60_000;

interface Outcome {
  /** `tofu state list` after the apply, sorted. */
  addresses: string[];
  /** The apply's `Error:` lines, sorted (empty when it succeeded). */
  errors: string[];
}

interface Baseline extends Outcome {
  recordedWith: string;
  scaffold: string[];
  root: string;
}

const SCAFFOLD = ['--backend', 'local', '--key-provider', 'none'];
const ROOT = 'environments/dev';

async function applyDefaultRoot(moto: Moto, provider: { cliConfig: string; lockFile: string }): Promise<Outcome> {
  const repo = await scaffold(SCAFFOLD);
  const dir = join(repo, ROOT);
  pointAtMoto(dir, moto, { byRegion: true });
  copyFileSync(provider.lockFile, join(dir, '.terraform.lock.hcl'));
  const env = { ...moto.env, TF_CLI_CONFIG_FILE: provider.cliConfig };
  const init = await tofu(dir, ['init', '-input=false'], env);
  expect(init.exitCode, init.all).toBe(0);
  const apply = await Promise.race([
    tofu(dir, ['apply', '-auto-approve', '-input=false', '-parallelism=20'], env),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`apply did not finish in ${APPLY_TIMEOUT_MS / 60_000} minutes: a missing runtime dependency?`)), APPLY_TIMEOUT_MS).unref()),
  ]);
  const list = await tofu(dir, ['state', 'list'], env);
  const errors = apply.all
    .split('\n')
    .filter((line) => /^\s*│?\s*Error: /.test(line))
    .map((line) => line.replace(/^\s*│?\s*/, '').trim());
  return { addresses: list.stdout.split('\n').filter(Boolean).sort(), errors: errors.sort() };
}

describe('toolchain: the trimmed aws provider at run time', () => {
  let moto: Moto | undefined;
  afterAll(async () => {
    await moto?.stop();
  });

  it(RECORD ? 'records what the whole provider creates' : 'applies the default environment root as the whole provider did', async () => {
    const t = toolchain();
    moto = await startMoto();
    if (RECORD) {
      if (!t.fullAws) throw new Error('No full aws provider: run `npm run toolchain -- --full-aws` first.');
      const outcome = await applyDefaultRoot(moto, t.fullAws);
      const baseline: Baseline = { recordedWith: `hashicorp/aws ${t.aws.version} (full build)`, scaffold: SCAFFOLD, root: ROOT, ...outcome };
      writeFileSync(BASELINE, `${JSON.stringify(baseline, null, 2)}\n`);
      expect(outcome.addresses.length).toBeGreaterThan(10);
      return;
    }
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Baseline;
    const outcome = await applyDefaultRoot(moto, t);
    expect(outcome).toEqual({ addresses: baseline.addresses, errors: baseline.errors });
  });
});
