// Growth of a proven repository through its own Nx generators, run by the real nx with the packed
// plugin installed into the temporary copy (until the plugin is installable by a user), in a
// non-production environment: add-environment, then bootstrap apply and the new root's life;
// add-region -> apply -> remove-region (step 1) -> apply -> remove-region --drop -> apply, with no
// resource of the region left in state or in moto; key-change migrate and rotate through the
// generator, with `state list` and outputs identical before and after.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO } from '../harness/cli.js';
import { tofuEnv } from '../harness/toolchain.js';

/** The new environment and region growth adds (names a user would pick; qa is not production). */
export const GROWTH_ENV = 'qa';
export const GROWTH_REGION = 'eu-west-2';
const NX_VERSION = '22.7.12';

/** What growth needs from prove: its steps and its tofu runs, for one root in one environment. */
export interface GrowthOps {
  repo: string;
  layout: string;
  step(name: string, root: string, work: () => Promise<string | void>): Promise<void>;
  /** tofu in a root as `env`'s CI job runs it; throws with the output unless it exits 0. */
  tofu(root: string, env: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<string>;
  /** Writes the root's test-only files (moto override, backend config, marker). */
  prepare(root: string, env: string): void;
  /** init, saved plan, apply, envelope check and an idempotent second plan. */
  lifecycle(root: string, env: string): Promise<void>;
  /** Applies the bootstrap stack again (what the README says after add-environment). */
  bootstrapApply(): Promise<string>;
  /** Non-default VPCs moto holds in a region. */
  vpcsIn(region: string): string[];
  /** The key provider the repository started with (rotation goes from it to another). */
  keyProvider: string;
  /** The pbkdf2 passphrase of an environment, for a rotation to or from pbkdf2. */
  passphrase(env: string): NodeJS.ProcessEnv;
  /** The root's state object as the backend stores it. */
  readState(root: string): Promise<string | undefined>;
  /** Tests only: breaks the repository after a generator ran (negative controls). */
  sabotage?(generator: string): void;
}

const nxEnv = () => tofuEnv({ CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' });

async function nx(repo: string, args: string[]): Promise<string> {
  const r = await execa(join(repo, 'node_modules', '.bin', 'nx'), args, { cwd: repo, env: nxEnv(), reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`nx ${args.join(' ')} exited ${r.exitCode}:\n${r.all}`);
  return r.all;
}

/** Packs packages/nx-plugin as `npm pack` does and installs it, with nx, into the repository. */
async function installPlugin(repo: string): Promise<string> {
  const plugin = join(REPO, 'packages', 'nx-plugin');
  await execa('node', ['build.mjs'], { cwd: plugin });
  const packDir = mkdtempSync(join(tmpdir(), 'cti-prove-pack-'));
  await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: plugin });
  const tarball = join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
  );
  const r = await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', tarball, `nx@${NX_VERSION}`], {
    cwd: repo,
    env: nxEnv(),
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) throw new Error(`npm install of the packed plugin failed:\n${r.all}`);
  return `${tarball.split('/').pop()} and nx@${NX_VERSION}`;
}

/** Resource addresses in state, data sources left out. */
function resources(list: string): string[] {
  return list
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('data.') && !l.includes('.data.'));
}

export async function grow(ops: GrowthOps): Promise<void> {
  if (ops.layout !== 'directory') throw new Error(`prove --grow runs on the directory layout only for now (got ${ops.layout})`);
  const env = GROWTH_ENV;
  const root = `environments/${env}`;
  const plan = async (extra: string[] = []) => {
    await ops.tofu(root, env, ['plan', '-input=false', '-out=grow.tfplan', ...extra]);
    return ops.tofu(root, env, ['apply', '-input=false', 'grow.tfplan']);
  };
  const g = async (args: string[]) => {
    await nx(ops.repo, ['g', ...args]);
    ops.sabotage?.(args.join(' '));
  };
  const inRegion = async (region: string) => resources(await ops.tofu(root, env, ['state', 'list'])).filter((a) => a.includes(`["${region}"]`));

  await ops.step('install nx plugin (packed)', '.', () => installPlugin(ops.repo));
  await ops.step('nx g add-environment', root, async () => {
    await g(['add-environment', env]);
    const manifest = JSON.parse(readFileSync(join(ops.repo, 'tofu-infra.json'), 'utf8')) as { roots: string[] };
    if (!manifest.roots.includes(root)) throw new Error(`the manifest does not list ${root}`);
  });
  await ops.step('bootstrap apply (new env)', 'bootstrap', () => ops.bootstrapApply());
  ops.prepare(root, env);
  await ops.lifecycle(root, env);

  await ops.step('nx g add-region + apply', root, async () => {
    await g(['add-region', GROWTH_REGION]);
    await plan();
    const added = await inRegion(GROWTH_REGION);
    if (!added.length) throw new Error(`the apply created nothing in ${GROWTH_REGION}`);
    if (!ops.vpcsIn(GROWTH_REGION).length) throw new Error(`moto holds no VPC in ${GROWTH_REGION}`);
    return `${added.length} resources in ${GROWTH_REGION}`;
  });
  await ops.step('nx g remove-region + apply', root, async () => {
    await g(['remove-region', GROWTH_REGION]);
    await plan();
    const left = await inRegion(GROWTH_REGION);
    if (left.length) throw new Error(`disabling ${GROWTH_REGION} left resources in state:\n  ${left.join('\n  ')}`);
    const vpcs = ops.vpcsIn(GROWTH_REGION);
    if (vpcs.length) throw new Error(`disabling ${GROWTH_REGION} left VPCs in moto: ${vpcs.join(', ')}`);
  });
  await ops.step('remove-region --drop + apply', root, async () => {
    await g(['remove-region', GROWTH_REGION, '--drop']);
    const regions = readFileSync(join(ops.repo, root, 'regions.auto.tfvars.json'), 'utf8');
    if (regions.includes(GROWTH_REGION)) throw new Error(`${root}/regions.auto.tfvars.json still names ${GROWTH_REGION}`);
    await plan();
    const check = await ops.tofu(root, env, ['plan', '-input=false', '-detailed-exitcode']);
    if (!/No changes/.test(check)) throw new Error(`the plan after --drop is not empty:\n${check}`);
    const vpcs = ops.vpcsIn(GROWTH_REGION);
    if (vpcs.length) throw new Error(`orphaned VPCs in ${GROWTH_REGION}: ${vpcs.join(', ')}`);
  });

  // Key changes: what the generator writes, then the command it prints; nothing in state may change.
  const snapshot = async () => ({
    list: resources(await ops.tofu(root, env, ['state', 'list'], ops.passphrase(env))).join('\n'),
    outputs: await ops.tofu(root, env, ['output', '-json'], ops.passphrase(env)),
  });
  const keyChange = async (label: string, args: string[], keyAfter: string) =>
    ops.step(label, root, async () => {
      const before = await snapshot();
      await g(['key-change', ...args]);
      await ops.tofu(root, env, ['init', '-input=false', '-reconfigure', ...(await backendArgs(ops, root))], ops.passphrase(env));
      await ops.tofu(root, env, ['apply', '-refresh-only', '-auto-approve', '-input=false'], ops.passphrase(env));
      await g(['key-change', 'finish']);
      await ops.tofu(root, env, ['init', '-input=false', '-reconfigure', ...(await backendArgs(ops, root))], ops.passphrase(env));
      const after = await snapshot();
      if (after.list !== before.list) throw new Error(`state list changed:\n${before.list}\n---\n${after.list}`);
      if (after.outputs !== before.outputs) throw new Error('outputs changed');
      // The state is written again, encrypted, with the key the change ends on.
      const state = await ops.readState(root);
      const meta = state === undefined ? undefined : JSON.stringify((JSON.parse(state) as { meta?: unknown }).meta);
      if (keyAfter !== 'none' && (!meta || !meta.includes(`key_provider.${keyAfter}.`)))
        throw new Error(`the state is not encrypted with ${keyAfter} after the change: ${meta}`);
      return `${before.list.split('\n').length} resources, outputs identical, state under ${keyAfter}`;
    });
  await keyChange('nx g key-change migrate', ['migrate'], ops.keyProvider);
  const to = ops.keyProvider === 'pbkdf2' ? 'aws_kms' : 'pbkdf2';
  if (ops.keyProvider !== 'none') await keyChange(`nx g key-change rotate (${to})`, ['rotate', '--to', to], to);
  await ops.step('destroy', root, async () => {
    await ops.tofu(root, env, ['destroy', '-auto-approve', '-input=false'], ops.passphrase(env));
    const left = resources(await ops.tofu(root, env, ['state', 'list'], ops.passphrase(env)));
    if (left.length) throw new Error(`destroy left resources in state:\n  ${left.join('\n  ')}`);
    for (const region of ['eu-west-1', GROWTH_REGION]) {
      const vpcs = ops.vpcsIn(region);
      if (vpcs.length) throw new Error(`orphaned VPCs in ${region}: ${vpcs.join(', ')}`);
    }
  });
}

/** The test-only partial backend configuration prove wrote into the root. */
async function backendArgs(ops: GrowthOps, root: string): Promise<string[]> {
  return readdirSync(join(ops.repo, root))
    .filter((f) => f.endsWith('.tfbackend'))
    .map((f) => `-backend-config=${f}`);
}
