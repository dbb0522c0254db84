#!/usr/bin/env node
// The CI budgets, measured the way CI runs: a clean clone of HEAD, `CI=true bash .ci/run` with no
// stdin. Prints the wall time of each phase (npm ci, toolchain, build + lint, tests), the slowest
// test files and the prove lives' times, then the verdict against the budget.
//   node bench/ci-budget.mjs            warm: the toolchain cache as it is       budget 30 min
//   node bench/ci-budget.mjs --cold     cold: a new machine's caches, all empty (the toolchain cache
//                                       CTI_CACHE_DIR, Go's build and module caches, npm's and pip's,
//                                       each in a temp dir)                             budget 75 min
// Options: --keep (leave the clone), --log <file> (the whole output, default <clone>/ci-run.log),
//          --replay <log> (no run: the figures of a log an earlier run wrote; phase times unknown).
// A run takes as long as CI does (15-30 min warm on 2 cores): run it when nothing else is running.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const cold = args.includes('--cold');
const keep = args.includes('--keep');
const budgetMinutes = cold ? 75 : 30;

const replay = args.includes('--replay') ? args[args.indexOf('--replay') + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), 'cti-ci-budget-'));
const clone = join(work, 'repo');
const logFile = args.includes('--log') ? args[args.indexOf('--log') + 1] : join(work, 'ci-run.log');
const head = spawnSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const cloned = replay ? { status: 0 } : spawnSync('git', ['clone', '--quiet', repo, clone], { stdio: 'inherit' });
if (cloned.status !== 0) process.exit(1);

const env = { ...process.env, CI: 'true' };
// A new machine has no cache at all: the Go build cache alone saves most of the provider's compile.
if (cold)
  Object.assign(env, {
    CTI_CACHE_DIR: join(work, 'empty-cache'),
    GOCACHE: join(work, 'empty-go-build'),
    GOMODCACHE: join(work, 'empty-go-mod'),
    npm_config_cache: join(work, 'empty-npm-cache'),
    PIP_CACHE_DIR: join(work, 'empty-pip-cache'),
  });

// Each phase starts at the first line matching its marker (what .ci/run prints as it goes).
const PHASES = [
  { name: 'npm ci', marker: /^/ },
  { name: 'toolchain', marker: /^toolchain: / },
  { name: 'build + lint', marker: /^\s*NX\s+Running target/ },
  { name: 'tests', marker: /^\s*RUN\s+v\d/ },
];
const seen = [];
const files = [];
const proveLives = [];
let summary = '';
const log = createWriteStream(logFile);
const t0 = performance.now();
const minutes = (ms) => `${(ms / 60_000).toFixed(1)} min`;

let inProve = false;

function onLine(raw) {
  const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
  const at = performance.now() - t0;
  log.write(`${line}\n`);
  const next = PHASES[seen.length];
  if (next && next.marker.test(line)) seen.push({ name: next.name, at });
  // vitest: " ✓  e2e  test/e2e/x.test.ts (3 tests) 123456ms", then its slow tests indented below
  const file = /^\s*[✓✗×❯]\s+(?:\w+\s+)?(\S+\.test\.ts)\s+\(.*?\)\s+(\d+)ms/.exec(line);
  if (file) {
    files.push({ file: file[1], ms: Number(file[2]) });
    inProve = file[1].includes('prove-');
    return;
  }
  const test = /^\s{4,}[✓✗×]\s+(.*?)\s+(\d+)ms$/.exec(line);
  if (test && inProve) proveLives.push({ life: test[1], ms: Number(test[2]) });
  else if (!test) inProve = false;
  if (/^Tests: \d+ passed/.test(line)) summary = line;
}

const code = replay ? (readFileSync(replay, 'utf8').split('\n').forEach(onLine), 0) : await runCi();
const total = performance.now() - t0;
log.end();

function runCi() {
  const child = spawn('bash', ['.ci/run'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  return new Promise((resolve) => child.on('close', resolve));
}

console.log(
  replay
    ? `CI figures from ${replay} (a replay: no phase times)`
    : `CI budget (${cold ? 'cold: empty toolchain cache' : 'warm'}), clean clone of ${head}, CI=true, no stdin`,
);
if (!replay) seen.forEach((phase, i) => console.log(`  ${phase.name.padEnd(14)} ${minutes((seen[i + 1]?.at ?? total) - phase.at)}`));
if (!replay) console.log(`  ${'total'.padEnd(14)} ${minutes(total)}   (budget ${budgetMinutes} min)`);
if (summary) console.log(`  ${summary}`);
console.log('  slowest test files:');
for (const f of files.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`    ${minutes(f.ms).padStart(9)}  ${f.file}`);
if (proveLives.length) {
  console.log('  prove lives:');
  for (const l of proveLives) console.log(`    ${minutes(l.ms).padStart(9)}  ${l.life}`);
}
console.log(`  exit ${code}; log: ${logFile}`);
const verdict = code === 0 && total <= budgetMinutes * 60_000;
console.log(verdict ? 'WITHIN BUDGET' : code === 0 ? 'OVER BUDGET' : 'FAILED');
if (!keep) rmSync(work, { recursive: true, force: true });
process.exit(verdict ? 0 : 1);
