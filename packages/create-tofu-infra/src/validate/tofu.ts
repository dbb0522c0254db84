import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, availableParallelism } from 'node:os';
import { join } from 'node:path';

/** One line of progress, one result per root. */
export interface RootResult {
  root: string;
  ok: boolean;
  seconds: number;
  /** tofu's own words when it failed. */
  output: string;
}

export interface ValidationReport {
  tofu: { path: string; version: string } | undefined;
  fmt: { ok: boolean; output: string } | undefined;
  roots: RootResult[];
}

export interface ValidateOptions {
  /** Prints one progress line. */
  log: (line: string) => void;
  /** How many roots run at once; defaults to the number of CPUs (at least 2). */
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
}

/** The tofu to use: $TOFU_BINARY, else `tofu` on PATH; undefined when there is none. */
async function findTofu(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; version: string } | undefined> {
  const { execa } = await import('execa');
  const path = env.TOFU_BINARY || 'tofu';
  const r = await execa(path, ['version', '-json'], { env, reject: false });
  if (r.failed || r.exitCode !== 0) return undefined;
  try {
    return { path, version: JSON.parse(r.stdout).terraform_version as string };
  } catch {
    return undefined;
  }
}

const SHARED_CACHE_RACE = /from the shared cache directory|still not detected|fork\/exec \.terraform\/providers/;

async function pool<T, R>(items: T[], size: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** The environment tofu runs in: no prompts, no update checks, a shared plugin cache, a lazy garbage collector. */
function tofuEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  // Most of validate's CPU goes to tofu and the provider building and decoding the provider schema
  // (the aws one is huge), and a good part of that to Go's garbage collector. Validation runs are
  // short-lived: trading memory for CPU (collect only near 2 GiB per process) makes parallel roots
  // on few cores markedly faster. Both variables reach the provider processes; user settings win.
  if (base.GOGC === undefined && base.GOMEMLIMIT === undefined) {
    env.GOGC = 'off';
    env.GOMEMLIMIT = '2GiB';
  }
  if (!env.TF_PLUGIN_CACHE_DIR && !env.TF_CLI_CONFIG_FILE) {
    env.TF_PLUGIN_CACHE_DIR = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'create-tofu-infra', 'plugin-cache');
  }
  return env;
}

type Execa = (typeof import('execa'))['execa'];
type Run = Awaited<ReturnType<Execa>>;

/** One validation run: tofu, its environment and the repository. */
interface Session {
  execa: Execa;
  tofu: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  log: (line: string) => void;
}

async function checkFormat(s: Session): Promise<{ ok: boolean; output: string }> {
  const run = await s.execa(s.tofu, ['fmt', '-check', '-recursive', '-diff', '-no-color'], { cwd: s.dir, env: s.env, reject: false, all: true });
  const fmt = { ok: run.exitCode === 0, output: String(run.all ?? '') };
  s.log(fmt.ok ? '  ✓ tofu fmt -check -recursive' : '  ✗ tofu fmt -check -recursive: these files are not formatted');
  return fmt;
}

const init = (s: Session, cwd: string): Promise<Run> =>
  s.execa(s.tofu, ['init', '-backend=false', '-input=false', '-no-color'], { cwd, env: s.env, reject: false, all: true });
const lockOf = (s: Session, root: string) => join(s.dir, root, '.terraform.lock.hcl');

/**
 * Without a lock file entry, tofu copies the provider into the shared cache again on every init,
 * and parallel inits race on that entry. So the first root inits alone (a second or so), and its
 * lock file (the same providers everywhere) lets every other root link the cached one. Returns
 * that first init, and the lock files this run created (removed again at the end).
 */
async function initFirstRoot(s: Session, roots: string[]): Promise<{ first: Run | undefined; created: string[] }> {
  const created = roots.map((root) => lockOf(s, root)).filter((path) => !existsSync(path));
  if (roots[0] === undefined) return { first: undefined, created };
  const first = await init(s, join(s.dir, roots[0]));
  if (existsSync(lockOf(s, roots[0]))) {
    const lock = readFileSync(lockOf(s, roots[0]), 'utf8');
    for (const root of roots.slice(1)) if (!existsSync(lockOf(s, root))) writeFileSync(lockOf(s, root), lock);
  }
  return { first, created };
}

/** init (unless done already) and validate in one root, once more when another tofu was rewriting the shared cache. */
async function validateRoot(s: Session, root: string, initialised: Run | undefined): Promise<RootResult> {
  const cwd = join(s.dir, root);
  const started = performance.now();
  const once = async (done?: Run): Promise<{ ok: boolean; output: string }> => {
    const initRun = done ?? (await init(s, cwd));
    if (initRun.exitCode !== 0) return { ok: false, output: String(initRun.all ?? '') };
    const validate = await s.execa(s.tofu, ['validate', '-no-color'], { cwd, env: s.env, reject: false, all: true });
    return { ok: validate.exitCode === 0, output: String(validate.all ?? '') };
  };
  let { ok, output } = await once(initialised);
  // Another run's tofu may be rewriting the shared cache entry right now ("still not detected",
  // "fork/exec .terraform/providers/...: no such file"); once it is done, the root validates.
  for (let attempt = 0; attempt < 2 && !ok && SHARED_CACHE_RACE.test(output); attempt++) {
    await new Promise((r) => setTimeout(r, 2000));
    ({ ok, output } = await once());
  }
  rmSync(join(cwd, '.terraform'), { recursive: true, force: true });
  const seconds = (performance.now() - started) / 1000;
  s.log(ok ? `  ✓ ${root} (${seconds.toFixed(1)}s)` : `  ✗ ${root}: tofu init/validate failed`);
  return { root, ok, seconds, output };
}

/**
 * Proves a generated repository with the real tofu: `fmt -check -recursive` once, then
 * `init -backend=false` + `validate` in every root, roots in parallel, one shared plugin cache.
 * What init leaves behind (.terraform/, lock files) is removed again, so the repository holds
 * exactly the generated files.
 */
export async function validateRepository(dir: string, roots: string[], opts: ValidateOptions): Promise<ValidationReport> {
  const env = tofuEnvironment(opts.env ?? process.env);
  const tofu = await findTofu(env);
  if (!tofu) return { tofu: undefined, fmt: undefined, roots: [] };
  if (env.TF_PLUGIN_CACHE_DIR) mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
  const { execa } = await import('execa');
  const session: Session = { execa, tofu: tofu.path, env, dir, log: opts.log };
  const fmt = await checkFormat(session);
  const { first, created } = await initFirstRoot(session, roots);
  const concurrency = opts.concurrency ?? Math.max(2, availableParallelism());
  const results = await pool(roots, concurrency, (root, i) => validateRoot(session, root, i === 0 ? first : undefined));
  // The lock files were only for this run: the repository keeps exactly the generated files.
  for (const path of created) rmSync(path, { force: true });
  return { tofu, fmt, roots: results };
}
