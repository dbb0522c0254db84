// The lifecycle proof: scaffolds a repository with the given create-tofu-infra flags and runs its
// whole life against local emulators, the way its README says a team would: bootstrap, every root
// through init, plan, apply and an idempotent second plan, remote state, encryption, locks, and
// destroy. Endpoints are redirected only through environment variables and test-only files in the
// temporary copy (moto_override.tf, moto.s3.tfbackend, remote_state_override.tf, marker.tf), never
// in generated files. Used by `npm run prove` (scripts/prove.ts) and by the e2e tests.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI } from '../harness/cli.js';
import { awsProviderOverride, startMoto, type Moto } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';
import { gcsStore, openbaoKeys, readmeCredentials, scalewayStore, type KeyService, type ReadmeCredentials, type StateStore } from './backends.js';
import { gapFor } from './emulator-gaps.js';
import { Identities, remoteReads } from './identities.js';
import { grow, GROWTH_ENV, type GrowthOps } from './growth.js';

export interface StepResult {
  step: string;
  root: string;
  seconds: number;
  ok: boolean;
  detail?: string;
}

export interface ProveReport {
  ok: boolean;
  /** The scaffolded repository (removed afterwards unless `keep`). */
  dir: string;
  results: StepResult[];
  /** Resources left in place on purpose, with the reason. */
  kept: string[];
}

export interface ProveOptions {
  /** Leave the repository and the emulators' logs for inspection. */
  keep?: boolean;
  /** One line per finished step. */
  log?: (line: string) => void;
  /** Tests only: breaks the scaffolded repository on purpose before its life starts (negative controls). */
  sabotage?: (repo: string) => void;
  /** Grow the repository through its nx generators after its life (growth.ts). */
  grow?: boolean;
  /** Tests only: breaks the repository after a generator ran (negative controls of growth). */
  sabotageGrowth?: (repo: string, generator: string) => void;
  /** Tests only: grow right after bootstrap, without the environments' own lives (cheaper negative controls of growth). */
  growthOnly?: boolean;
}

interface Manifest {
  spec: {
    name: string;
    layout: 'directory' | 'hybrid' | 'workspace';
    envs: string[];
    services: string[];
    modules: string[];
    backend: string;
    lock: string;
    keyProvider: string;
  };
  roots: string[];
}

/** One root in one environment: what a pipeline job runs. */
interface Unit {
  root: string;
  env: string;
  workspace?: string;
  varFile?: string;
}

/** A step failed: stops the run, its message becomes the summary's detail. */
class StepFailed extends Error {}

const SUPPORTED_BACKENDS = ['s3', 'gcs', 'scaleway'];
const SUPPORTED_KEY_PROVIDERS = ['aws_kms', 'pbkdf2', 'openbao', 'none'];
const PASSPHRASE = 'prove-passphrase-of-at-least-16-chars';

/** Refuses flags whose backend or key provider has no emulator wired into prove yet. */
export function checkProvable(spec: Manifest['spec']): string | undefined {
  if (!SUPPORTED_BACKENDS.includes(spec.backend))
    return `prove runs the s3 and scaleway backends against moto and gcs against fake-gcs-server; --backend ${spec.backend} has no emulator wired into prove yet (valid: ${SUPPORTED_BACKENDS.join(', ')})`;
  if (!SUPPORTED_KEY_PROVIDERS.includes(spec.keyProvider))
    return `prove runs key providers ${SUPPORTED_KEY_PROVIDERS.join(', ')}; --key-provider ${spec.keyProvider} is not wired into prove yet (gcp_kms keeps its offline proof in test/e2e/key-change.test.ts)`;
  return undefined;
}

/** Growth re-applies the bootstrap stack for its new environment: backends with one only. */
export function checkGrowable(spec: Manifest['spec']): string | undefined {
  if (spec.backend !== 's3')
    return `prove --grow needs the bootstrap stack of the s3 backend (add-environment then bootstrap apply); --backend ${spec.backend} has none`;
  return undefined;
}

export async function prove(flags: string[], opts: ProveOptions = {}): Promise<ProveReport> {
  const log = opts.log ?? (() => {});
  const parent = mkdtempSync(join(tmpdir(), 'cti-prove-'));
  const repo = join(parent, 'repo');
  const results: StepResult[] = [];
  const kept: string[] = [];
  const marker = `prove-marker-${process.pid}-${Date.now()}`;
  // A plugin cache of this run's own: an init without a lock file elsewhere (the CLI's validator,
  // other tests) re-links the provider in the shared cache, and a tofu starting it then finds no binary.
  const pluginCache = join(parent, 'plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  let moto: Moto | undefined;
  let identities: Identities | undefined;
  let store: StateStore | undefined;
  let keys: KeyService | undefined;

  async function step(name: string, root: string, work: () => Promise<string | void>): Promise<void> {
    const t0 = Date.now();
    try {
      const detail = (await work()) ?? undefined;
      // Every call a CI user made in this step is allowed by its generated policy (identities.ts).
      await identities?.checkRecorded();
      const r = { step: name, root, seconds: (Date.now() - t0) / 1000, ok: true, detail };
      results.push(r);
      log(`  ✓ ${name.padEnd(26)} ${root.padEnd(28)} ${r.seconds.toFixed(1)}s${detail ? `  ${detail}` : ''}`);
    } catch (err) {
      const detail = (err as Error).message;
      results.push({ step: name, root, seconds: (Date.now() - t0) / 1000, ok: false, detail });
      log(`  ✗ ${name.padEnd(26)} ${root.padEnd(28)} ${detail.split('\n')[0]}`);
      throw new StepFailed(detail);
    }
  }

  try {
    await step('scaffold', '.', async () => {
      const r = await execa('node', [CLI, 'repo', '--yes', ...flags], {
        cwd: parent,
        env: tofuEnv({ CI: 'true', TF_PLUGIN_CACHE_DIR: pluginCache }),
        reject: false,
        all: true,
        stdin: 'ignore',
      });
      if (r.exitCode !== 0) throw new Error(`create-tofu-infra ${flags.join(' ')} exited ${r.exitCode}:\n${r.all}`);
      return `create-tofu-infra ${flags.join(' ')}`.trim();
    });
    opts.sabotage?.(repo);
    const manifest = JSON.parse(readFileSync(join(repo, 'tofu-infra.json'), 'utf8')) as Manifest;
    const refusal = checkProvable(manifest.spec) ?? (opts.grow ? checkGrowable(manifest.spec) : undefined);
    if (refusal) throw new StepFailed(refusal);
    const started = await startMoto({ env: Identities.motoEnv(parent) });
    moto = started;
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    if (manifest.spec.backend === 'gcs') store = await gcsStore();
    if (manifest.spec.backend === 'scaleway') store = await scalewayStore(started, parent, manifest.spec.name);
    if (manifest.spec.keyProvider === 'openbao') keys = await openbaoKeys(readme);
    const env: NodeJS.ProcessEnv = { ...started.env, ...store?.env, TF_VAR_marker_secret: marker, TF_PLUGIN_CACHE_DIR: pluginCache };
    const credentials = readmeCredentials(readme);
    const ctx: Context = { repo, spec: manifest.spec, moto: started, store, keys, env, marker, step, kept, credentials };
    await step('credentials (README)', '.', async () => firstRunCredentials(ctx));

    await bootstrap(ctx);
    // CI identities come from bootstrap's policies; backends without a bootstrap stack have none.
    if (existsSync(join(repo, 'bootstrap'))) {
      identities = ctx.identities = await Identities.start({ moto: started, parent, repo, env: ctx.env, step });
      ctx.env = { ...ctx.env, ...identities.env('bootstrap') };
    }
    const waves = wavesOf(manifest.spec);
    const units = waves.flat();
    for (const unit of units) prepare(ctx, unit);
    // moto 5.2.5 gives every RDS instance the same DbiResourceId (moto/rds/models.py), which the
    // provider uses as the instance's id, so two live instances in one moto are ambiguous: the
    // last wave's units each live and are destroyed before the next applies; earlier waves (the
    // hybrid layout's shared/, which every service reads) stay until the end.
    const [last, ...earlier] = [...waves].reverse();
    for (const wave of [...earlier].reverse()) await each(ctx, wave, (unit) => lifecycle(ctx, unit));
    // Tests only (growth's negative controls): straight from bootstrap to growth, the last wave skipped.
    for (const [i, unit] of (opts.growthOnly ? [] : last!).entries()) {
      await lifecycle(ctx, unit);
      if (i === 0) {
        await lockRefusal(ctx, unit);
        const other = last![1] ?? earlier[0]?.[0];
        if (other && manifest.spec.keyProvider !== 'none') await foreignKeyRefusal(ctx, unit, other);
        if (keys) await wrongTokenRefusal(ctx, unit, keys);
      }
      await destroy(ctx, unit);
    }
    if (identities && !opts.growthOnly) {
      await identities.denials(
        step,
        units.map((unit) => ({ env: unit.env, ...stateObject(ctx, unit) })),
        remoteReads(repo),
      );
    }
    // Growth lives its new environment beside the earlier waves (hybrid: shared/) and destroys them with it.
    if (opts.grow) await grow(growthOps(ctx, opts));
    else for (const wave of earlier) await each(ctx, wave, (unit) => destroy(ctx, unit));
    if (existsSync(join(repo, 'bootstrap'))) kept.push('bootstrap: state buckets (prevent_destroy), keys and lock tables are kept, as the README says');
    else kept.push('the state buckets the README had created by hand are kept');
  } catch (err) {
    if (!(err instanceof StepFailed)) results.push({ step: 'prove', root: '.', seconds: 0, ok: false, detail: (err as Error).stack ?? String(err) });
  } finally {
    await moto?.stop();
    await store?.stop();
    await keys?.stop();
    if (!opts.keep) rmSync(parent, { recursive: true, force: true });
  }
  const ok = results.length > 0 && results.every((r) => r.ok);
  return { ok, dir: repo, results, kept };
}

interface Context {
  repo: string;
  spec: Manifest['spec'];
  moto: Moto;
  /** The backend's own emulator, when it is not moto's s3 (gcs, scaleway). */
  store?: StateStore;
  /** The openbao key provider's server. */
  keys?: KeyService;
  env: NodeJS.ProcessEnv;
  marker: string;
  kept: string[];
  /** The README's first-run credentials block: what every unit exports (the emulator's values). */
  credentials: ReadmeCredentials;
  /** The CI users (after the bootstrap apply): units run as their environment's. */
  identities?: Identities;
  step(name: string, root: string, work: () => Promise<string | void>): Promise<void>;
}

/**
 * What CI exports for one environment's jobs: its CI user's keys, then exactly the variables the
 * README's first-run block exports (the pipelines' own list), each with the emulator's value:
 * a variable the README names wrongly reaches nothing, and the life fails. Never written to a file.
 */
function unitEnv(ctx: Context, unit: Where): NodeJS.ProcessEnv {
  const env = unit.env;
  // bootstrap's own state is encrypted with its aws_kms key (state-home.tf.example), whatever the
  // environments' key provider: its runs need no environment's secret.
  return { ...ctx.identities?.env(env), ...(env === 'bootstrap' ? {} : credentialsFor(ctx, env)) };
}

/** The emulator's value of each variable the README exports, for one environment. */
function credentialsFor(ctx: Context, env: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of ctx.credentials.names) {
    const value = standIn(ctx, name, env);
    if (value === undefined)
      throw new Error(`the README's first-run block exports ${name}, which prove has no emulator value for: a variable nothing in this repository reads?`);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** undefined: unknown here; null: the emulator takes no such value (the store says why). */
function standIn(ctx: Context, name: string, env: string): string | null | undefined {
  if (ctx.store && name in ctx.store.standIns) return ctx.store.standIns[name];
  if (ctx.keys && (name === 'BAO_ADDR' || name === 'BAO_TOKEN')) return ctx.keys.envFor(env)[name];
  if (ctx.spec.keyProvider !== 'pbkdf2') return undefined;
  if (name === 'TF_VAR_state_passphrase') return `${PASSPHRASE}-${env}`;
  // TF_VAR_<env>_state_passphrase: the passphrase of a state this root reads (hybrid: shared).
  const read = /^TF_VAR_(\w+)_state_passphrase$/.exec(name)?.[1];
  const other = [...ctx.spec.envs, 'shared', GROWTH_ENV].find((e) => e.replaceAll('-', '_') === read);
  return other ? `${PASSPHRASE}-${other}` : undefined;
}

/**
 * The README's first-run block as a person runs it: every exported name must have an emulator
 * value, and its commands (the backend's credentials profile, `aws configure set ... --profile`)
 * are carried out on the test's own credentials file (AWS_SHARED_CREDENTIALS_FILE).
 */
function firstRunCredentials(ctx: Context): string {
  const values = credentialsFor(ctx, ctx.spec.envs[0]!);
  const profiles = new Map<string, string[]>();
  for (const line of ctx.credentials.commands) {
    const set = /^aws configure set (aws_access_key_id|aws_secret_access_key) "\$(\w+)" --profile (\S+)$/.exec(line);
    if (!set) throw new Error(`prove does not know this README command (add it here, or fix the README): ${line}`);
    const value = values[set[2]!];
    if (value === undefined) throw new Error(`the README writes $${set[2]} into the profile ${set[3]}, but its block does not export it`);
    profiles.set(set[3]!, [...(profiles.get(set[3]!) ?? []), `${set[1]} = ${value}`]);
  }
  if (profiles.size) {
    const file = ctx.env.AWS_SHARED_CREDENTIALS_FILE;
    if (!file) throw new Error('the README writes an AWS profile, but this backend has no test credentials file');
    writeFileSync(file, [...profiles].map(([name, lines]) => `[${name}]\n${lines.join('\n')}\n`).join(''), { mode: 0o600 });
  }
  const names = ctx.credentials.names.length ? ctx.credentials.names.join(', ') : 'nothing';
  return `exports ${names}${profiles.size ? `; profile ${[...profiles.keys()].join(', ')}` : ''}`;
}

/** The partial backend configuration that points `tofu init` at the emulator (test-only file). */
const backendConfig = (ctx: Context) => `-backend-config=${ctx.store?.configFile ?? 'moto.s3.tfbackend'}`;

/** The units in dependency order: each wave's units need only earlier waves (hybrid services read shared/). */
function wavesOf(spec: Manifest['spec']): Unit[][] {
  if (spec.layout === 'directory') return [spec.envs.map((env) => ({ root: `environments/${env}`, env }))];
  if (spec.layout === 'workspace') return [spec.envs.map((env) => ({ root: 'infra', env, workspace: env, varFile: `environments/${env}.tfvars` }))];
  return [[{ root: 'shared', env: 'shared' }], spec.services.flatMap((svc) => spec.envs.map((env) => ({ root: `services/${svc}/envs/${env}`, env })))];
}

/** Runs `work` for every unit of a wave, one after the other (see the DbiResourceId note in prove). */
async function each(_ctx: Context, wave: Unit[], work: (unit: Unit) => Promise<void>): Promise<void> {
  for (const unit of wave) await work(unit);
}

type Where = Pick<Unit, 'root' | 'workspace' | 'env'>;

async function run(ctx: Context, unit: Where, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return tofu(join(ctx.repo, unit.root), args, {
    ...ctx.env,
    ...unitEnv(ctx, unit),
    ...(unit.workspace ? { TF_WORKSPACE: unit.workspace } : {}),
    ...extraEnv,
  });
}

async function ok(ctx: Context, unit: Where, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await run(ctx, unit, args, extraEnv);
  if (r.exitCode !== 0) throw new Error(`tofu ${args.join(' ')} exited ${r.exitCode}:\n${r.all}`);
  return r.all;
}

const MOTO_BACKEND = (endpoint: string) => `endpoints = {
  s3       = "${endpoint}"
  dynamodb = "${endpoint}"
  sts      = "${endpoint}"
  iam      = "${endpoint}"
}
use_path_style              = true
skip_credentials_validation = true
skip_requesting_account_id  = true
skip_metadata_api_check     = true
`;

const MARKER = `# test-only (prove): a secret in state, so state and plans can be searched for it
variable "marker_secret" {
  type      = string
  sensitive = true
}

variable "hold_seconds" {
  type    = number
  default = 0
}

variable "hold_token" {
  type    = string
  default = "initial"
}

resource "terraform_data" "marker" {
  input = var.marker_secret
}

resource "terraform_data" "hold" {
  triggers_replace = [var.hold_token]

  provisioner "local-exec" {
    command = "sleep \${var.hold_seconds}"
  }
}
`;

/** The aws provider at moto (test-only override). */
function providerOverride(ctx: Context, alias?: string): string {
  return awsProviderOverride(ctx.moto.endpoint, { ...(alias ? { alias } : {}), keys: ctx.identities?.admin ?? ctx.store?.providerKeys });
}

/** Test-only files of one root: providers and backend at moto, remote state at moto, the marker. */
function prepare(ctx: Context, unit: Unit): void {
  const dir = join(ctx.repo, unit.root);
  if (existsSync(join(dir, 'marker.tf'))) return;
  writeFileSync(join(dir, 'moto_override.tf'), [providerOverride(ctx), providerOverride(ctx, 'by_region')].join('\n'));
  writeFileSync(join(dir, 'moto.s3.tfbackend'), MOTO_BACKEND(ctx.moto.endpoint));
  writeFileSync(join(dir, 'marker.tf'), MARKER);
  if (ctx.store) return ctx.store.prepare(dir);
  const main = readFileSync(join(dir, 'main.tf'), 'utf8');
  const remote = /data "terraform_remote_state" "(\w+)" \{\n\s+backend = "s3"\n\n\s+config = \{\n([\s\S]*?)\n\s+\}\n\}/.exec(main);
  if (remote) {
    // The generated bucket, key and region, plus moto's endpoint: the override replaces `config` whole.
    writeFileSync(
      join(dir, 'remote_state_override.tf'),
      `data "terraform_remote_state" "${remote[1]}" {\n  backend = "s3"\n\n  config = {\n${remote[2]}\n${MOTO_BACKEND(ctx.moto.endpoint)
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`)
        .join('\n')
        .replace(/\n    \}/, '\n    }')}\n  }\n}\n`,
    );
  }
}

async function bootstrap(ctx: Context): Promise<void> {
  if (!existsSync(join(ctx.repo, 'bootstrap'))) {
    // No bootstrap stack for this backend: what the README says to create by hand.
    if (ctx.keys) await ctx.step('OpenBao setup (README)', '.', async () => ctx.keys!.created);
    if (!ctx.store) throw new Error(`--backend ${ctx.spec.backend} has no bootstrap stack and prove knows no README step for it`);
    await ctx.step('create buckets (README)', '.', () => ctx.store!.createDocumented(readFileSync(join(ctx.repo, 'README.md'), 'utf8')));
    return;
  }
  if (ctx.keys) await ctx.step('OpenBao setup (README)', '.', async () => ctx.keys!.created);
  const unit = { root: 'bootstrap', env: 'bootstrap' };
  const dir = join(ctx.repo, 'bootstrap');
  writeFileSync(join(dir, 'moto_override.tf'), providerOverride(ctx));
  await ctx.step('init', 'bootstrap', async () => void (await ok(ctx, unit, ['init', '-input=false'])));
  await ctx.step('plan + apply', 'bootstrap', async () => {
    await ok(ctx, unit, ['plan', '-input=false', '-out=bootstrap.tfplan']);
    return slowest(await ok(ctx, unit, ['apply', '-input=false', 'bootstrap.tfplan']));
  });
  const outputs = async () => {
    const out = await ok(ctx, unit, ['output', '-json']);
    return JSON.parse(out.slice(out.indexOf('{'))) as {
      state_buckets: { value: Record<string, string> };
      state_home: { value: { bucket: string; key: string } };
    };
  };
  await ctx.step('remove TLS-only policies', 'bootstrap', async () => {
    const out = await outputs();
    const buckets = new Set([...Object.values(out.state_buckets.value), out.state_home.value.bucket]);
    for (const bucket of buckets) ctx.moto.s3DeletePolicy(bucket);
    return `moto gap: ${buckets.size} bucket policies (see emulator-gaps.ts)`;
  });
  await ctx.step('move state home (README)', 'bootstrap', async () => {
    const home = (await outputs()).state_home.value;
    writeFileSync(join(dir, 'moto.s3.tfbackend'), MOTO_BACKEND(ctx.moto.endpoint));
    await readmeCommands(ctx, 'Then move the bootstrap state', dir);
    if (existsSync(join(dir, 'terraform.tfstate'))) throw new Error('the local plaintext state is still there');
    if (readFileSync(join(dir, 'state-home.tf'), 'utf8').includes('method.unencrypted')) throw new Error('state-home.tf still has the migration fallback');
    await ok(ctx, unit, ['fmt', '-check', 'state-home.tf']);
    expectEnvelope(ctx, ctx.moto.s3Get(home.bucket, home.key), `s3://${home.bucket}/${home.key}`);
    return `s3://${home.bucket}/${home.key}, encrypted`;
  });
  await ctx.step('idempotent plan', 'bootstrap', () => idempotent(ctx, unit));
}

/**
 * Runs the shell block that follows `lead` in the generated README, line by line as a user would
 * paste it, from `cwd`. The one test-only addition: `tofu init` also gets moto's partial backend
 * configuration (moto.s3.tfbackend), since endpoints are never in generated files.
 */
async function readmeCommands(ctx: Context, lead: string, cwd: string): Promise<void> {
  const readme = readFileSync(join(ctx.repo, 'README.md'), 'utf8');
  const at = readme.indexOf(lead);
  if (at < 0) throw new Error(`README.md has no "${lead}" step`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`README.md has no shell block after "${lead}"`);
  const script = [
    'set -euo pipefail',
    `tofu() { if [ "$1" = init ]; then "$TOFU_BINARY" "$@" -backend-config=moto.s3.tfbackend; else "$TOFU_BINARY" "$@"; fi; }`,
    ...block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  ].join('\n');
  const r = await execa('bash', ['-c', script], { cwd, env: tofuEnv(ctx.env), all: true, reject: false });
  if (r.exitCode !== 0) throw new Error(`README commands failed (exit ${r.exitCode}):\n${block}\n${r.all}`);
}

/** The state object of a unit, as the backend stores it. */
function stateObject(ctx: Context, unit: Unit): { bucket: string; key: string } {
  if (ctx.store) return ctx.store.stateObject(join(ctx.repo, unit.root), unit.workspace);
  const backend = readFileSync(join(ctx.repo, unit.root, 'backend.tf'), 'utf8');
  const bucket = /bucket\s*=\s*"([^"]+)"/.exec(backend)?.[1];
  const key = /\bkey\s*=\s*"([^"]+)"/.exec(backend)?.[1];
  if (!bucket || !key) throw new Error(`${unit.root}/backend.tf names no bucket and key`);
  return { bucket, key: unit.workspace ? `env:/${unit.workspace}/${key}` : key };
}

function expectEnvelope(ctx: Context, body: string | undefined, what: string): void {
  if (body === undefined) throw new Error(`${what} does not exist`);
  // --key-provider none chose plaintext state (the README says so): the object exists, and that is all.
  if (ctx.spec.keyProvider === 'none' && !what.includes('bootstrap')) return;
  if (body.includes(ctx.marker)) throw new Error(`${what} holds the marker secret in plaintext`);
  const envelope = JSON.parse(body) as Record<string, unknown>;
  if (!('encrypted_data' in envelope) || 'resources' in envelope) throw new Error(`${what} is not an encrypted envelope`);
}

/** An object of the state backend's emulator, undefined when it does not exist. */
async function readState(ctx: Context, bucket: string, key: string): Promise<string | undefined> {
  return ctx.store ? ctx.store.read(bucket, key) : ctx.moto.s3Get(bucket, key);
}

const planFile = (unit: Unit) => `prove-${unit.workspace ?? unit.env}.tfplan`;

async function lifecycle(ctx: Context, unit: Unit): Promise<void> {
  const label = unit.workspace ? `${unit.root} (${unit.workspace})` : unit.root;
  const varFile = unit.varFile ? [`-var-file=${unit.varFile}`] : [];
  if (unit.workspace) {
    // TF_WORKSPACE must name an existing workspace for init, except while the backend has none.
    // The README's first run, by a person (the admin): the default workspace is no environment's.
    await ctx.step('workspace new', label, async () => {
      // Until the workspace exists, every step uses its key (TF_VAR_new_workspace, as CI and the README
      // do): the default workspace borrows it, so the environment's own OpenBao token suffices.
      const bare = { TF_WORKSPACE: '', TF_VAR_new_workspace: unit.workspace!, ...ctx.identities?.adminEnv() };
      await ok(ctx, { ...unit, workspace: undefined }, ['init', '-input=false', '-reconfigure', backendConfig(ctx)], bare);
      const list = await ok(ctx, { ...unit, workspace: undefined }, ['workspace', 'list'], bare);
      if (list.split('\n').some((l) => l.replace('*', '').trim() === unit.workspace)) return 'exists';
      // As the README says: the new workspace's first state is written with its own key.
      await ok(ctx, { ...unit, workspace: undefined }, ['workspace', 'new', unit.workspace!], bare);
      await ok(ctx, { ...unit, workspace: undefined }, ['workspace', 'select', 'default'], bare);
    });
  }
  await ctx.step('init', label, async () => void (await ok(ctx, unit, ['init', '-input=false', '-reconfigure', backendConfig(ctx)])));
  await ctx.step('plan (saved, encrypted)', label, async () => {
    await ok(ctx, unit, ['plan', '-input=false', `-out=${planFile(unit)}`, ...varFile]);
    const plan = readFileSync(join(ctx.repo, unit.root, planFile(unit)));
    if (ctx.spec.keyProvider !== 'none' && plan.includes(ctx.marker)) throw new Error('the saved plan holds the marker secret in plaintext');
    if (ctx.spec.keyProvider !== 'none' && plan.subarray(0, 2).toString() === 'PK') throw new Error('the saved plan is a plain zip, not encrypted');
  });
  await ctx.step('apply', label, async () => {
    const out = await ok(ctx, unit, ['apply', '-input=false', planFile(unit)]);
    return `${/Resources: (\d+) added/.exec(out)?.[0] ?? ''}; ${slowest(out)}`;
  });
  await ctx.step(ctx.spec.keyProvider === 'none' ? 'state object written' : 'state is an envelope', label, async () => {
    const { bucket, key } = stateObject(ctx, unit);
    expectEnvelope(ctx, await readState(ctx, bucket, key), `${ctx.spec.backend === 'gcs' ? 'gs' : 's3'}://${bucket}/${key}`);
  });
  await ctx.step('idempotent plan', label, () => idempotent(ctx, unit, varFile));
}

/** The slowest resource of an apply, from tofu's "Creation complete after" lines. */
function slowest(applyOutput: string): string {
  let worst = { address: '', seconds: -1 };
  for (const m of applyOutput.matchAll(/^(\S+): Creation complete after (?:(\d+)m)?(\d+)s/gm)) {
    const seconds = Number(m[2] ?? 0) * 60 + Number(m[3]);
    if (seconds > worst.seconds) worst = { address: m[1]!, seconds };
  }
  return worst.seconds >= 0 ? `slowest: ${worst.address} ${worst.seconds}s` : '';
}

/** A second plan shows no change, except the reviewed emulator gaps (emulator-gaps.ts). */
async function idempotent(ctx: Context, unit: Where, extra: string[] = []): Promise<string | void> {
  const check = `check-${unit.workspace ?? unit.env}.tfplan`;
  const r = await run(ctx, unit, ['plan', '-input=false', '-detailed-exitcode', `-out=${check}`, ...extra]);
  if (r.exitCode === 0) return;
  if (r.exitCode !== 2) throw new Error(`plan exited ${r.exitCode}:\n${r.all}`);
  const show = await run(ctx, unit, ['show', '-json', check]);
  const plan = JSON.parse(show.stdout) as {
    resource_changes?: {
      address: string;
      type: string;
      change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
    }[];
  };
  const unexcused: string[] = [];
  const excused: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.length === 1 && (actions[0] === 'no-op' || actions[0] === 'read')) continue;
    if (actions.includes('create') && !actions.includes('delete')) {
      (gapFor(rc.type, '*create*') ? excused : unexcused).push(`${rc.address}: create`);
      continue;
    }
    const change = rc.change as typeof rc.change & { after_unknown?: Record<string, unknown> };
    const before = change.before ?? {};
    const after = change.after ?? {};
    const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    // Values an excused change leaves unknown until apply are its consequence, not a difference of their own.
    const anyExcused = changed.some((attr) => gapFor(rc.type, attr));
    const unknown = (attr: string) => JSON.stringify(change.after_unknown?.[attr] ?? false).includes('true');
    for (const attr of changed) {
      if (gapFor(rc.type, attr)) excused.push(`${rc.address}.${attr}`);
      else if (anyExcused && unknown(attr)) excused.push(`${rc.address}.${attr} (unknown until apply)`);
      else unexcused.push(`${rc.address}.${attr}: ${actions.join('/')}`);
    }
    if (!changed.length) unexcused.push(`${rc.address}: ${actions.join('/')}`);
  }
  if (unexcused.length) {
    // What changed, for attributes that are not sensitive (the JSON plan holds sensitive values in clear).
    for (const rc of plan.resource_changes ?? []) {
      const c = rc.change as typeof rc.change & { before_sensitive?: Record<string, unknown>; after_sensitive?: Record<string, unknown> };
      for (const line of [...unexcused]) {
        const attr = line.startsWith(`${rc.address}.`) ? line.slice(rc.address.length + 1).split(':')[0]! : undefined;
        const sensitive = (x: unknown) => JSON.stringify(x ?? false).includes('true');
        if (!attr || sensitive(c.before_sensitive?.[attr]) || sensitive(c.after_sensitive?.[attr])) continue;
        unexcused.push(`    ${attr}: ${JSON.stringify(c.before?.[attr]).slice(0, 300)} -> ${JSON.stringify(c.after?.[attr]).slice(0, 300)}`);
      }
    }
    const text = await run(ctx, unit, ['show', check]);
    const changes = text.stdout.split('\n').filter((l) => /^\s+[~+-] |will be|must be/.test(l) && !l.includes('unchanged'));
    throw new Error(`a second plan is not empty:\n  ${unexcused.join('\n  ')}\n\n${changes.join('\n')}`);
  }
  return `excused (emulator gaps): ${excused.join(', ')}`;
}

/** While one apply holds the lock, a second one is refused. */
async function lockRefusal(ctx: Context, unit: Unit): Promise<void> {
  const label = unit.workspace ? `${unit.root} (${unit.workspace})` : unit.root;
  const kind = ctx.spec.lock === 'dynamodb' ? 'dynamodb' : 'lockfile';
  await ctx.step(`held lock refuses (${kind})`, label, async () => {
    const varFile = unit.varFile ? [`-var-file=${unit.varFile}`] : [];
    const target = ['-target=terraform_data.hold'];
    const dir = join(ctx.repo, unit.root);
    const first = execa(toolchain().tofu, ['apply', '-auto-approve', '-input=false', '-no-color', ...target, ...varFile], {
      cwd: dir,
      env: tofuEnv({
        ...ctx.env,
        ...unitEnv(ctx, unit),
        ...(unit.workspace ? { TF_WORKSPACE: unit.workspace } : {}),
        TF_VAR_hold_seconds: '20',
        TF_VAR_hold_token: String(Date.now()),
      }),
      all: true,
      reject: false,
    });
    const { bucket, key } =
      ctx.store?.lockObject(join(ctx.repo, unit.root), unit.workspace) ?? (({ bucket, key }) => ({ bucket, key: `${key}.tflock` }))(stateObject(ctx, unit));
    const deadline = Date.now() + 90_000;
    const holding = async () => (kind === 'lockfile' ? (await readState(ctx, bucket, key)) !== undefined : lockItems(ctx, unit) > 0);
    while (!(await holding())) {
      if (Date.now() > deadline) throw new Error(`the first apply never took the lock:\n${(await first).all}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const second = await run(ctx, unit, ['apply', '-auto-approve', '-input=false', '-lock-timeout=0s', ...target, ...varFile]);
    const done = await first;
    if (second.exitCode === 0) throw new Error('a second apply ran while the first held the lock');
    if (!second.all.includes('Error acquiring the state lock')) throw new Error(`the second apply failed for another reason:\n${second.all}`);
    if (done.exitCode !== 0) throw new Error(`the first apply failed:\n${done.all}`);
  });
}

/** Lock items of the unit's DynamoDB table whose LockID names its state (not the -md5 digest). */
function lockItems(ctx: Context, unit: Unit): number {
  const backend = readFileSync(join(ctx.repo, unit.root, 'backend.tf'), 'utf8');
  const table = /dynamodb_table\s*=\s*"([^"]+)"/.exec(backend)?.[1];
  if (!table) throw new Error(`${unit.root}/backend.tf names no dynamodb_table`);
  return ctx.moto.dynamoLockIds(table).filter((id) => !id.endsWith('-md5')).length;
}

/** Another environment's key cannot read this environment's state. */
async function foreignKeyRefusal(ctx: Context, owner: Unit, other: Unit): Promise<void> {
  await ctx.step(`${other.env}'s key cannot read it`, owner.workspace ? `${owner.root} (${owner.workspace})` : owner.root, async () => {
    const copy = `${owner.root}-foreign-key`;
    const dir = join(ctx.repo, copy);
    cpSync(join(ctx.repo, owner.root), dir, { recursive: true, filter: (src) => !src.startsWith(join(ctx.repo, owner.root, '.terraform')) });
    // The other environment's key: its KMS alias, or (pbkdf2) its passphrase through the environment.
    const encryption = join(dir, 'encryption.tf');
    const text = readFileSync(encryption, 'utf8');
    const swapped = text.replaceAll(`-${owner.env}"`, `-${other.env}"`).replaceAll('${local.key_environment}', other.env);
    if (swapped === text && ctx.spec.keyProvider === 'aws_kms') throw new Error(`could not point ${owner.root}/encryption.tf at ${other.env}'s key`);
    writeFileSync(encryption, swapped);
    const unit = { root: copy, workspace: owner.workspace, env: other.env };
    // As the admin, who may read the object and use both keys: only the cryptography refuses.
    const admin = ctx.identities?.adminEnv() ?? {};
    const init = await run(ctx, unit, ['init', '-input=false', '-reconfigure', backendConfig(ctx)], admin);
    const read = init.exitCode === 0 ? await run(ctx, unit, ['state', 'pull'], admin) : init;
    rmSync(dir, { recursive: true, force: true });
    if (read.exitCode === 0) throw new Error(`${other.env}'s key read ${owner.env}'s state`);
    if (!/decrypt|encryption key/i.test(read.all)) throw new Error(`reading failed, but not on decryption:\n${read.all}`);
    return `refused: ${/AccessDeniedException|authentication failed|cipher: message authentication failed/.exec(read.all)?.[0] ?? 'decryption failed'}`;
  });
}

/** openbao: a token OpenBao does not know reads nothing, and tofu says why. */
async function wrongTokenRefusal(ctx: Context, unit: Unit, keys: KeyService): Promise<void> {
  await ctx.step('wrong OpenBao token refused', unit.workspace ? `${unit.root} (${unit.workspace})` : unit.root, async () => {
    const r = await run(ctx, unit, ['output', '-json'], keys.wrongToken());
    if (r.exitCode === 0) throw new Error('the state was read with a token OpenBao does not know');
    if (r.all.includes(ctx.marker)) throw new Error('the failed read printed the marker secret');
    if (!/permission denied/.test(r.all)) throw new Error(`reading failed, but not on OpenBao's refusal:\n${r.all}`);
    return 'permission denied';
  });
}

/** What growth.ts runs through prove: its steps, tofu and test-only files. */
function growthOps(ctx: Context, opts: ProveOptions): GrowthOps {
  return {
    repo: ctx.repo,
    layout: ctx.spec.layout,
    keyProvider: ctx.spec.keyProvider,
    units: wavesOf({ ...ctx.spec, envs: [GROWTH_ENV] }).flat(),
    step: ctx.step,
    tofu: (unit, args, extra) => ok(ctx, unit, args, extra),
    prepare: (unit) => prepare(ctx, unit),
    lifecycle: (unit) => lifecycle(ctx, unit),
    async bootstrapApply() {
      // The provider as the admin: bootstrap's override was written before the CI users (and IAM
      // enforcement) existed, with moto's default keys, which enforcement now refuses.
      writeFileSync(join(ctx.repo, 'bootstrap', 'moto_override.tf'), providerOverride(ctx));
      // moto gap (emulator-gaps.ts): the TLS-only bucket policy would deny every request there.
      const out = await ok(ctx, { root: 'bootstrap', env: 'bootstrap' }, ['apply', '-auto-approve', '-input=false', '-exclude=aws_s3_bucket_policy.state']);
      return `${/Resources: \d+ added, \d+ changed, \d+ destroyed/.exec(out)?.[0] ?? ''}; bucket policies excluded (moto gap)`;
    },
    keySetup: ctx.keys ? () => ctx.keys!.setUp(readFileSync(join(ctx.repo, 'README.md'), 'utf8')) : undefined,
    vpcsIn: (region) => ctx.moto.ec2Vpcs(region),
    readState: (unit) => {
      const { bucket, key } = stateObject(ctx, unit);
      return readState(ctx, bucket, key);
    },
    passphrase: (env) => {
      const reads = remoteReads(ctx.repo)[env] ?? [];
      const passphrases = reads.map((other) => [`TF_VAR_${other.replaceAll('-', '_')}_state_passphrase`, `${PASSPHRASE}-${other}`]);
      return { TF_VAR_state_passphrase: `${PASSPHRASE}-${env}`, ...Object.fromEntries(passphrases) };
    },
    sabotage: (generator) => opts.sabotageGrowth?.(ctx.repo, generator),
  };
}

async function destroy(ctx: Context, unit: Unit): Promise<void> {
  const label = unit.workspace ? `${unit.root} (${unit.workspace})` : unit.root;
  const varFile = unit.varFile ? [`-var-file=${unit.varFile}`] : [];
  // prod's database has deletion_protection (terraform.tfvars): destroying prod must fail there.
  const protectedDb = unit.env === 'prod' && ctx.spec.modules.includes('database') && unit.root !== 'shared';
  await ctx.step(protectedDb ? 'destroy refused (protected)' : 'destroy', label, async () => {
    const r = await run(ctx, unit, ['destroy', '-auto-approve', '-input=false', ...varFile]);
    if (!protectedDb) {
      if (r.exitCode !== 0) throw new Error(`destroy exited ${r.exitCode}:\n${r.all}`);
      const list = await ok(ctx, unit, ['state', 'list']);
      const left = list.split('\n').filter((l) => l.trim() && !l.includes('.data.') && !l.startsWith('data.'));
      if (left.length) throw new Error(`destroy left resources in state:\n  ${left.join('\n  ')}`);
      return;
    }
    if (r.exitCode === 0) throw new Error('prod was destroyed although its database has deletion protection');
    if (!/deletion protection|DeletionProtection|protection enabled/i.test(r.all)) throw new Error(`destroy failed, but not on deletion protection:\n${r.all}`);
    ctx.kept.push(`${label}: the database refused deletion (deletion_protection), as it must in prod`);
    return 'deletion protection held';
  });
}

/** The summary table: step, root, seconds, result. */
export function summary(report: ProveReport): string {
  const rows = report.results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.step.padEnd(28)} ${r.root.padEnd(30)} ${r.seconds.toFixed(1).padStart(6)}s`);
  const failed = report.results.find((r) => !r.ok);
  return [
    `result  step                         root                           seconds`,
    ...rows,
    ...(report.kept.length ? ['', 'left in place on purpose:', ...report.kept.map((k) => `  ${k}`)] : []),
    ...(failed ? ['', `failed: ${failed.step} in ${failed.root}:`, failed.detail ?? ''] : []),
    '',
    `prove: ${report.ok ? 'every step passed' : 'FAILED'} (${report.results.filter((r) => r.ok).length} steps ok, ${report.results.filter((r) => !r.ok).length} failed)`,
  ].join('\n');
}
