#!/usr/bin/env node
// Speed figures of create-tofu-infra, as ratios measured in one run (the machine is shared and
// noisy; absolute times mean little). Run: npm run bench
//   1. non-interactive scaffold of the default repository (--yes --skip-validate), cold start
//      included, vs `node -e 0`                                     target: <= 5x
//   2. time to the first prompt on a terminal vs `node -e 0` on the same terminal  target: <= 3x
//   3. validating every root of the default directory repository: the CLI's parallel validator vs
//      a sequential `tofu init -backend=false && tofu validate` loop    target: >= 1.7x faster
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'packages', 'create-tofu-infra', 'dist', 'cli.js');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const work = mkdtempSync(join(tmpdir(), 'cti-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

function timeCommand(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

/** Time until `marker` appears on a pseudo-terminal running `command` (util-linux `script`). */
function timeToOutput(command, marker) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, CI: '' } });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "${marker}" within 20 s; saw: ${seen.slice(-200)}`));
    }, 20_000);
    child.stdout.on('data', (d) => {
      seen += d.toString();
      if (seen.includes(marker)) {
        const elapsed = performance.now() - t0;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(elapsed);
      }
    });
  });
}

function line(label, value, baseline, target, better) {
  const ratio = value / baseline;
  const ok = better === 'lower' ? ratio <= target : baseline / value >= target;
  const shown =
    better === 'lower' ? `${ratio.toFixed(2)}x node -e 0 (target <= ${target}x)` : `${(baseline / value).toFixed(2)}x faster (target >= ${target}x)`;
  console.log(`${label.padEnd(44)} ${ms(value).padStart(9)}   ${shown}   ${ok ? 'OK' : 'MISSED'}`);
  return ok;
}

async function main() {
  const results = [];
  console.log(`create-tofu-infra benchmark, median of ${runs} runs each (machine: ${process.platform} ${process.arch}, node ${process.version})\n`);

  // 1 + 2 share one baseline, measured interleaved with the CLI runs so load changes hit both.
  const node0 = [];
  const scaffold = [];
  for (let i = 0; i < runs; i++) {
    node0.push(timeCommand('node', ['-e', '0']));
    const target = join(work, `scaffold-${i}`);
    scaffold.push(timeCommand('node', [cli, target, '--yes', '--skip-validate'], { env: { ...process.env, CI: 'true' } }));
    rmSync(target, { recursive: true, force: true });
  }
  const base = median(node0);
  console.log(`${'node -e 0'.padEnd(44)} ${ms(base).padStart(9)}`);
  results.push(line('scaffold default repo (--yes --skip-validate)', median(scaffold), base, 5, 'lower'));

  const ttyBase = [];
  const ttyPrompt = [];
  for (let i = 0; i < runs; i++) {
    ttyBase.push(await timeToOutput(`node -e "process.stdout.write('ready')"`, 'ready'));
    ttyPrompt.push(await timeToOutput(`node ${cli} ${join(work, 'prompt')}`, 'Layout'));
  }
  console.log(`${'node -e 0 on a terminal'.padEnd(44)} ${ms(median(ttyBase)).padStart(9)}`);
  results.push(line('time to first prompt (on a terminal)', median(ttyPrompt), median(ttyBase), 3, 'lower'));

  // 3: validation. One repository; each measurement starts from a clean tree.
  const tofu = process.env.TOFU_BINARY || 'tofu';
  if (spawnSync(tofu, ['version'], { stdio: 'ignore' }).status !== 0) {
    console.log('validation: skipped (no tofu: run through `npm run bench`, which provides the toolchain)');
  } else {
    const repoDir = join(work, 'validate');
    timeCommand('node', [cli, repoDir, '--yes', '--skip-validate', '--name', 'bench'], { env: { ...process.env, CI: 'true' } });
    const { rootsOf, resolveSpec, validateRepository } = await import(join(repo, 'packages', 'create-tofu-infra', 'dist', 'index.js'));
    const roots = rootsOf(resolveSpec({ name: 'bench' }, { directoryName: 'validate', generatorVersion: 'bench' })).map((r) => r.path);
    const clean = () =>
      roots.forEach((r) => {
        rmSync(join(repoDir, r, '.terraform'), { recursive: true, force: true });
        rmSync(join(repoDir, r, '.terraform.lock.hcl'), { force: true });
      });
    const sequential = () => {
      clean();
      const t0 = performance.now();
      for (const r of roots) {
        const init = spawnSync(tofu, ['init', '-backend=false', '-input=false'], { cwd: join(repoDir, r), stdio: 'ignore' });
        const val = spawnSync(tofu, ['validate'], { cwd: join(repoDir, r), stdio: 'ignore' });
        if (init.status !== 0 || val.status !== 0) throw new Error(`sequential validation failed in ${r}`);
      }
      return performance.now() - t0;
    };
    const parallel = async () => {
      clean();
      const t0 = performance.now();
      const report = await validateRepository(repoDir, roots, { log: () => {} });
      if (report.roots.some((r) => !r.ok)) throw new Error('parallel validation failed');
      return performance.now() - t0;
    };
    await parallel(); // warm the plugin cache and the page cache for both
    const seq = [];
    const par = [];
    const vruns = Math.max(3, Math.ceil(runs / 3));
    for (let i = 0; i < vruns; i++) {
      seq.push(sequential());
      par.push(await parallel());
    }
    console.log(`${`sequential init+validate loop (${roots.length} roots)`.padEnd(44)} ${ms(median(seq)).padStart(9)}`);
    results.push(line(`create-tofu-infra validation (${roots.length} roots)`, median(par), median(seq), 1.7, 'higher'));
    console.log(`  (fmt -check is included in the validator's time only; median of ${vruns} runs)`);
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`\n${results.filter(Boolean).length} of ${results.length} targets met`);
}

main().catch((err) => {
  rmSync(work, { recursive: true, force: true });
  console.error(err);
  process.exit(1);
});
