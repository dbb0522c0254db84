#!/usr/bin/env node
// Cost of the Nx plugin's inference: computing the project graph (`nx graph --file`, daemon off)
// of a generated repository with 30 OpenTofu roots, with the plugin registered in nx.json vs
// the very same workspace without it. Runs interleaved, so load changes hit both; medians.
// Target: at most 1.3x. Needs the built CLI and plugin (npm run build). Run: node bench/nx-graph.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'packages', 'create-tofu-infra', 'dist', 'cli.js');
const plugin = join(repo, 'packages', 'nx-plugin');
const nxPackage = join(repo, 'node_modules', 'nx');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const TARGET = 1.3;
const ROOTS = 30;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };

for (const built of [cli, join(plugin, 'dist', 'index.cjs')]) {
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first.`);
}

const work = mkdtempSync(join(tmpdir(), 'cti-nx-bench-'));

/** A directory layout repository: bootstrap + 29 environment roots = 30 roots. */
function scaffold() {
  const envs = Array.from({ length: ROOTS - 1 }, (_, i) => `e${String(i + 1).padStart(2, '0')}`);
  const r = spawnSync('node', [cli, 'with', '--yes', '--skip-validate', '--name', 'bench', '--envs', envs.join(',')], { cwd: work, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scaffold failed: ${r.stderr}`);
  const dir = join(work, 'with');
  const roots = JSON.parse(readFileSync(join(dir, 'tofu-infra.json'), 'utf8')).roots;
  if (roots.length !== ROOTS) throw new Error(`expected ${ROOTS} roots, got ${roots.length}`);
  // The two files the generated repository carries for Nx (templates/repo), as they render.
  writeFileSync(
    join(dir, 'package.json'),
    readFileSync(join(repo, 'templates', 'repo', 'package.json.hbs'), 'utf8')
      .replace('{{json spec.name}}', '"bench"')
      .replace('{{json spec.generatorVersion}}', '"0.1.0"'),
  );
  writeFileSync(join(dir, 'nx.json'), readFileSync(join(repo, 'templates', 'repo', 'nx.json.hbs'), 'utf8'));
  mkdirSync(join(dir, 'node_modules', '@create-tofu-infra'), { recursive: true });
  symlinkSync(nxPackage, join(dir, 'node_modules', 'nx'));
  symlinkSync(plugin, join(dir, 'node_modules', '@create-tofu-infra', 'nx'));
  return roots;
}

/** The same workspace with no plugin in nx.json. */
function copyWithoutPlugin() {
  const dir = join(work, 'without');
  cpSync(join(work, 'with'), dir, { recursive: true, verbatimSymlinks: true });
  const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
  delete nxJson.plugins;
  writeFileSync(join(dir, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
  return dir;
}

function graph(dir, { cold }) {
  if (cold) rmSync(join(dir, '.nx'), { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync('node', [join(nxPackage, 'dist', 'bin', 'nx.js'), 'graph', `--file=${join(dir, 'graph.json')}`], { cwd: dir, env, encoding: 'utf8' });
  const elapsed = performance.now() - t0;
  if (r.status !== 0) throw new Error(`nx graph failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return elapsed;
}

function measure(withDir, withoutDir, cold) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    b.push(graph(withoutDir, { cold }));
    a.push(graph(withDir, { cold }));
  }
  return { with: median(a), without: median(b) };
}

try {
  const roots = scaffold();
  const withDir = join(work, 'with');
  const withoutDir = copyWithoutPlugin();
  graph(withDir, { cold: true });
  const nodes = JSON.parse(readFileSync(join(withDir, 'graph.json'), 'utf8')).graph.nodes;
  const missing = roots.filter((r) => !Object.values(nodes).some((n) => n.data.root === r));
  if (missing.length > 0) throw new Error(`roots missing from the graph: ${missing.join(', ')}`);
  console.log(
    `nx project graph of a generated repository: ${ROOTS} roots, ${Object.keys(nodes).length} projects with the plugin; median of ${runs} runs each (node ${process.version})\n`,
  );
  let ok = true;
  for (const cold of [false, true]) {
    const m = measure(withDir, withoutDir, cold);
    const ratio = m.with / m.without;
    ok &&= ratio <= TARGET;
    const label = cold ? 'cold (.nx/ removed before each run)' : 'warm (.nx/workspace-data kept)';
    console.log(
      `${label.padEnd(38)} without ${m.without.toFixed(0).padStart(5)} ms   with ${m.with.toFixed(0).padStart(5)} ms   ratio ${ratio.toFixed(2)}x (target <= ${TARGET}x)   ${ratio <= TARGET ? 'OK' : 'MISSED'}`,
    );
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
