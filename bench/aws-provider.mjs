#!/usr/bin/env node
// What the trimmed aws provider saves on every tofu run: CPU seconds and peak memory of
// `tofu init -backend=false` + `tofu validate` on the default repository's environments/dev root,
// with the toolchain's trimmed build vs the whole provider (built by `npm run toolchain -- --full-aws`),
// interleaved so that load changes hit both; medians. Also the binary sizes.
//   target: at least 3x less CPU with the trimmed build
// Needs GNU time (/usr/bin/time) and the built CLI. Run: npm run bench:aws
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readToolchain } from '../toolchain/paths.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'packages', 'create-tofu-infra', 'dist', 'cli.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TARGET = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const toolchain = readToolchain();
if (!toolchain) throw new Error('No toolchain: run `npm run toolchain` first.');
if (!toolchain.fullAws) throw new Error('No full aws provider to compare with: run `npm run toolchain -- --full-aws` first (about 35 minutes, once).');
if (!existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is needed: apt-get install time');

const builds = [
  { name: 'trimmed', cliConfig: toolchain.cliConfig, lockFile: toolchain.lockFile, binary: toolchain.aws.binary },
  { name: 'full', ...toolchain.fullAws },
];

const work = mkdtempSync(join(tmpdir(), 'cti-bench-aws-'));
try {
  const s = spawnSync('node', [cli, 'repo', '--yes', '--skip-validate', '--ci', 'none'], { cwd: work, env: { ...process.env, CI: 'true' }, encoding: 'utf8' });
  if (s.status !== 0) throw new Error(`scaffold failed: ${s.stderr}`);
  const root = join(work, 'repo', 'environments', 'dev');
  // The validator's settings: Go collects garbage only near 2 GiB (see validate/tofu.ts).
  const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', GOGC: 'off', GOMEMLIMIT: '2GiB' };

  /** CPU seconds (user + system) and peak RSS of one command, from GNU time. */
  function measure(cwd, args, cliConfig) {
    const report = join(work, 'time.txt');
    const r = spawnSync('/usr/bin/time', ['-o', report, '-f', '%U %S %M', toolchain.tofu, ...args], {
      cwd,
      env: { ...env, TF_CLI_CONFIG_FILE: cliConfig },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`tofu ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    const [user, sys, rssKb] = readFileSync(report, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { cpu: user + sys, rssKb };
  }

  const samples = Object.fromEntries(builds.map((b) => [b.name, { cpu: [], rss: [] }]));
  for (let i = 0; i < runs; i++) {
    for (const build of builds) {
      // A fresh copy beside the original, so that ../../modules resolves as in the repository.
      const dir = join(work, 'repo', 'environments', `${build.name}-${i}`);
      cpSync(root, dir, { recursive: true });
      copyFileSync(build.lockFile, join(dir, '.terraform.lock.hcl'));
      const init = measure(dir, ['init', '-backend=false', '-input=false', '-no-color'], build.cliConfig);
      const validate = measure(dir, ['validate', '-no-color'], build.cliConfig);
      samples[build.name].cpu.push(init.cpu + validate.cpu);
      samples[build.name].rss.push(Math.max(init.rssKb, validate.rssKb));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const build of builds) {
    const cpu = median(samples[build.name].cpu);
    const rss = median(samples[build.name].rss);
    const size = statSync(build.binary).size;
    console.log(
      `${build.name.padEnd(8)} init+validate ${cpu.toFixed(2)} CPU s (median of ${runs}), peak RSS ${(rss / 1024).toFixed(0)} MiB, provider binary ${(size / 1e6).toFixed(0)} MB`,
    );
  }
  const ratio = median(samples.full.cpu) / median(samples.trimmed.cpu);
  console.log(`trimmed vs full: ${ratio.toFixed(2)}x less CPU per root (target >= ${TARGET}x): ${ratio >= TARGET ? 'met' : 'MISSED'}`);
  if (ratio < TARGET) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
