// The generated repository's own quality gates, run with the real tools: tofu test in a module,
// tflint over the repository, checkov over a folder.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { tempDir } from './tmp.js';
import { tofu } from './tofu.js';
import { toolchain } from './toolchain.js';

export interface GateResult {
  ok: boolean;
  output: string;
}

/**
 * The aws ruleset plugin block of the generated .tflint.hcl: `tflint --init` downloads that plugin
 * from GitHub, which is unreachable here (the Go module proxy does not serve it either).
 */
export const AWS_RULESET = /\nplugin "aws" \{\n[^}]*\}\n/;

/** The generated .tflint.hcl without the aws ruleset; written to `to` (default: over the repository's own). */
export function offlineTflintConfig(repo: string, to = join(repo, '.tflint.hcl')): string {
  const text = readFileSync(join(repo, '.tflint.hcl'), 'utf8');
  if (!AWS_RULESET.test(text)) throw new Error(`${repo}/.tflint.hcl has no aws ruleset block to leave out`);
  writeFileSync(to, text.replace(AWS_RULESET, '\n'));
  return to;
}

/** An environment in which the linters are on PATH (before the rest) and checkov looks nothing up online. */
export function withLinters(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const t = toolchain();
  return { ...env, PATH: `${[t.tflint, t.checkov, t.preCommit].map((bin) => dirname(bin)).join(':')}:${env.PATH ?? ''}`, BC_SKIP_MAPPING: 'TRUE' };
}

/** The module folders of a generated repository (modules/<name>). */
export function moduleDirs(repo: string): string[] {
  return readdirSync(join(repo, 'modules')).map((name) => join(repo, 'modules', name));
}

let pluginCache: string | undefined;

/**
 * A plugin cache of this test file's own. Every `tofu init` without a lock file (the CLI's
 * validator, pre-commit hooks, other test files) re-links the provider in the shared cache, and a
 * tofu starting the provider at that moment finds no binary.
 */
export function ownPluginCache(): string {
  return (pluginCache ??= tempDir('cti-plugin-cache-'));
}

/** `tofu init -backend=false` + `tofu test` in one module: its tests/*.tftest.hcl against a mocked provider. */
export async function tofuTest(moduleDir: string): Promise<GateResult> {
  const env = { TF_PLUGIN_CACHE_DIR: ownPluginCache() };
  const init = await tofu(moduleDir, ['init', '-backend=false', '-input=false'], env);
  if (init.exitCode !== 0) return { ok: false, output: init.all };
  const test = await tofu(moduleDir, ['test'], env);
  return { ok: test.exitCode === 0, output: test.all };
}

/** tflint over every directory of the repository with its own .tflint.hcl (an absolute path: --recursive reads it from each directory otherwise). */
export async function tflint(repo: string, config = join(repo, '.tflint.hcl')): Promise<GateResult> {
  const r = await execa(toolchain().tflint, ['--recursive', '--config', config, '--no-color'], { cwd: repo, reject: false, all: true });
  return { ok: r.exitCode === 0, output: r.all ?? '' };
}

interface CheckovReport {
  summary: { passed: number; failed: number; skipped: number };
  results?: { failed_checks: { check_id: string; resource: string; file_path: string }[] };
}

/** checkov's terraform checks over a folder, offline; the failed checks as `<id> <resource> <file>`. */
export async function checkov(dir: string): Promise<{ failed: string[]; passed: number; skipped: number }> {
  const r = await execa(toolchain().checkov, ['-d', dir, '--framework', 'terraform', '--skip-download', '--compact', '--quiet', '--output', 'json'], {
    reject: false,
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
  });
  if (r.stdout.trim() === '') throw new Error(`checkov gave no report (exit ${r.exitCode}):\n${r.stderr}`);
  const reports = [JSON.parse(r.stdout)].flat() as CheckovReport[];
  return {
    failed: reports.flatMap((rep) => rep.results?.failed_checks ?? []).map((c) => `${c.check_id} ${c.resource} ${c.file_path}`),
    passed: reports.reduce((n, rep) => n + rep.summary.passed, 0),
    skipped: reports.reduce((n, rep) => n + rep.summary.skipped, 0),
  };
}
