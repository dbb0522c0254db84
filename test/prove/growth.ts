// Growth of a proven repository through its own Nx generators, run by the real nx with the packed
// plugin installed into the temporary copy (until the plugin is installable by a user), in a
// non-production environment: add-environment, then bootstrap apply and the new root's life;
// add-region -> apply -> remove-region (step 1) -> apply -> remove-region --drop -> apply, with no
// resource of the region left in state or in moto; key-change migrate and rotate through the
// generator, with `state list` and outputs identical before and after.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** One root in one environment, as prove runs it (the workspace layout: a workspace and its var file). */
export interface GrowthUnit {
  root: string;
  env: string;
  workspace?: string;
  varFile?: string;
}

/** What growth needs from prove: its steps and its tofu runs, for one root in one environment. */
export interface GrowthOps {
  repo: string;
  layout: string;
  /**
   * The units the new environment lives in, in dependency order: its own root (directory), its
   * workspace (workspace), or the shared root and the environment's service roots (hybrid).
   */
  units: GrowthUnit[];
  step(name: string, root: string, work: () => Promise<string | void>): Promise<void>;
  /** tofu in a unit as its environment's CI job runs it; throws with the output unless it exits 0. */
  tofu(unit: GrowthUnit, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<string>;
  /** Writes the unit's test-only files (moto override, backend config, marker). */
  prepare(unit: GrowthUnit): void;
  /** init, saved plan, apply, envelope check and an idempotent second plan. */
  lifecycle(unit: GrowthUnit): Promise<void>;
  /** Applies the bootstrap stack again (what the README says after add-environment). */
  bootstrapApply(): Promise<string>;
  /** The key service's setup for the new environment, as the README says (openbao), if any. */
  keySetup?(): Promise<string>;
  /** Non-default VPCs moto holds in a region. */
  vpcsIn(region: string): string[];
  /** The key provider the repository started with (rotation goes from it to another). */
  keyProvider: string;
  /** The pbkdf2 passphrases a unit needs: its own and those of the states it reads. */
  passphrase(env: string): NodeJS.ProcessEnv;
  /** The unit's state object as the backend stores it. */
  readState(unit: GrowthUnit): Promise<string | undefined>;
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

const labelOf = (unit: GrowthUnit) => (unit.workspace ? `${unit.root} (${unit.workspace})` : unit.root);

export async function grow(ops: GrowthOps): Promise<void> {
  const env = GROWTH_ENV;
  // The environment's own units (not hybrid's shared root, which every environment reads).
  const own = ops.units.filter((u) => u.env === env);
  const label = own.map(labelOf).join(', ');
  const vars = (unit: GrowthUnit) => (unit.varFile ? [`-var-file=${unit.varFile}`] : []);
  // A change reaches the shared root first on the way in and last on the way out (services sit in its VPCs).
  const applyAll = async (order: GrowthUnit[], extraEnv: NodeJS.ProcessEnv = {}) => {
    for (const unit of order) {
      await ops.tofu(unit, ['plan', '-input=false', '-out=grow.tfplan', ...vars(unit)], extraEnv);
      await ops.tofu(unit, ['apply', '-input=false', 'grow.tfplan'], extraEnv);
    }
  };
  const inward = ops.units;
  const outward = [...ops.units].reverse();
  const g = async (args: string[]) => {
    await nx(ops.repo, ['g', ...args]);
    ops.sabotage?.(args.join(' '));
  };
  const inRegion = async (region: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    (await Promise.all(ops.units.map(async (u) => resources(await ops.tofu(u, ['state', 'list'], extraEnv)))))
      .flat()
      .filter((a) => a.includes(`["${region}"]`));
  const regionsFiles = () => [...new Set(ops.units.map((u) => join(u.root, 'regions.auto.tfvars.json')))];

  await ops.step('install nx plugin (packed)', '.', () => installPlugin(ops.repo));
  await ops.step('nx g add-environment', label, async () => {
    await g(['add-environment', env]);
    const manifest = JSON.parse(readFileSync(join(ops.repo, 'tofu-infra.json'), 'utf8')) as { roots: string[]; spec: { envs: string[] } };
    if (!manifest.spec.envs.includes(env)) throw new Error(`the manifest does not list ${env}`);
    for (const unit of own) {
      if (!manifest.roots.includes(unit.root)) throw new Error(`the manifest does not list ${unit.root}`);
      if (unit.varFile && !existsSync(join(ops.repo, unit.root, unit.varFile))) throw new Error(`add-environment wrote no ${unit.root}/${unit.varFile}`);
    }
  });
  await ops.step('bootstrap apply (new env)', 'bootstrap', () => ops.bootstrapApply());
  if (ops.keySetup) await ops.step('OpenBao setup (new env)', '.', () => ops.keySetup!());
  for (const unit of own) {
    ops.prepare(unit);
    await ops.lifecycle(unit);
  }

  await ops.step('nx g add-region + apply', label, async () => {
    await g(['add-region', GROWTH_REGION]);
    await applyAll(inward);
    const added = await inRegion(GROWTH_REGION);
    if (!added.length) throw new Error(`the apply created nothing in ${GROWTH_REGION}`);
    if (!ops.vpcsIn(GROWTH_REGION).length) throw new Error(`moto holds no VPC in ${GROWTH_REGION}`);
    return `${added.length} resources in ${GROWTH_REGION}`;
  });
  await ops.step('nx g remove-region + apply', label, async () => {
    await g(['remove-region', GROWTH_REGION]);
    await applyAll(outward);
    const left = await inRegion(GROWTH_REGION);
    if (left.length) throw new Error(`disabling ${GROWTH_REGION} left resources in state:\n  ${left.join('\n  ')}`);
    const vpcs = ops.vpcsIn(GROWTH_REGION);
    if (vpcs.length) throw new Error(`disabling ${GROWTH_REGION} left VPCs in moto: ${vpcs.join(', ')}`);
  });
  await ops.step('remove-region --drop + apply', label, async () => {
    await g(['remove-region', GROWTH_REGION, '--drop']);
    for (const file of regionsFiles()) {
      if (readFileSync(join(ops.repo, file), 'utf8').includes(GROWTH_REGION)) throw new Error(`${file} still names ${GROWTH_REGION}`);
    }
    await applyAll(outward);
    for (const unit of ops.units) {
      const check = await ops.tofu(unit, ['plan', '-input=false', '-detailed-exitcode', ...vars(unit)]);
      if (!/No changes/.test(check)) throw new Error(`the plan of ${labelOf(unit)} after --drop is not empty:\n${check}`);
    }
    const vpcs = ops.vpcsIn(GROWTH_REGION);
    if (vpcs.length) throw new Error(`orphaned VPCs in ${GROWTH_REGION}: ${vpcs.join(', ')}`);
  });

  // Key changes: what the generator writes, then the commands it prints, in every unit; nothing in state may change.
  const secrets = (unit: GrowthUnit) => ops.passphrase(unit.env);
  const snapshot = async () => {
    const parts: string[] = [];
    for (const unit of ops.units) {
      parts.push(`${labelOf(unit)}:`, ...resources(await ops.tofu(unit, ['state', 'list'], secrets(unit))));
      parts.push(await ops.tofu(unit, ['output', '-json'], secrets(unit)));
    }
    return parts.join('\n');
  };
  const reinit = async () => {
    for (const unit of ops.units) await ops.tofu(unit, ['init', '-input=false', '-reconfigure', ...backendArgs(ops, unit.root)], secrets(unit));
  };
  const keyChange = async (label: string, args: string[], keyAfter: string) =>
    ops.step(label, ops.units.map(labelOf).join(', '), async () => {
      const before = await snapshot();
      const bootstrapBefore = readFileSync(join(ops.repo, 'bootstrap', 'environments.auto.tfvars.json'), 'utf8');
      await g(['key-change', ...args]);
      // A key provider that bootstrap creates keys for (aws_kms): bootstrap first, as the generator says.
      if (readFileSync(join(ops.repo, 'bootstrap', 'environments.auto.tfvars.json'), 'utf8') !== bootstrapBefore) await ops.bootstrapApply();
      await reinit();
      for (const unit of inward) await ops.tofu(unit, ['apply', '-refresh-only', '-auto-approve', '-input=false', ...vars(unit)], secrets(unit));
      await g(['key-change', 'finish']);
      await reinit();
      const after = await snapshot();
      if (after !== before) throw new Error(`state list or outputs changed:\n${before}\n---\n${after}`);
      // The state is written again, encrypted, with the key the change ends on.
      for (const unit of ops.units) {
        const state = await ops.readState(unit);
        const meta = state === undefined ? undefined : JSON.stringify((JSON.parse(state) as { meta?: unknown }).meta);
        if (keyAfter !== 'none' && (!meta || !meta.includes(`key_provider.${keyAfter}.`)))
          throw new Error(`the state of ${labelOf(unit)} is not encrypted with ${keyAfter} after the change: ${meta}`);
      }
      return `${ops.units.length} root(s), state list and outputs identical, state under ${keyAfter}`;
    });
  // --key-provider none has nothing to migrate: its first key comes with the rotation (the generator's "migrate" to it).
  if (ops.keyProvider !== 'none') await keyChange('nx g key-change migrate', ['migrate'], ops.keyProvider);
  const to = ops.keyProvider === 'pbkdf2' ? 'aws_kms' : 'pbkdf2';
  await keyChange(`nx g key-change rotate (${to})`, ['rotate', '--to', to], to);
  await ops.step('destroy', ops.units.map(labelOf).join(', '), async () => {
    for (const unit of outward) {
      await ops.tofu(unit, ['destroy', '-auto-approve', '-input=false', ...vars(unit)], secrets(unit));
      const left = resources(await ops.tofu(unit, ['state', 'list'], secrets(unit)));
      if (left.length) throw new Error(`destroy left resources in ${labelOf(unit)}'s state:\n  ${left.join('\n  ')}`);
    }
    for (const region of ['eu-west-1', GROWTH_REGION]) {
      const vpcs = ops.vpcsIn(region);
      if (vpcs.length) throw new Error(`orphaned VPCs in ${region}: ${vpcs.join(', ')}`);
    }
  });
}

/** The test-only partial backend configuration prove wrote into the root. */
function backendArgs(ops: GrowthOps, root: string): string[] {
  return readdirSync(join(ops.repo, root))
    .filter((f) => f.endsWith('.tfbackend'))
    .map((f) => `-backend-config=${f}`);
}
