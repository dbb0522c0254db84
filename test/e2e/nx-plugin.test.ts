// The Nx plugin as a user gets it: `npm install` in a repository scaffolded by the built CLI
// (nx from the npm cache, the plugin from the tarball the CLI ships into the repository, never
// packed by this test), the generators run by the real nx, every root validated by the real tofu
// through the inferred targets, and `nx affected` following a module change in git.
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

const env = () => tofuEnv({ CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' });
const projectName = (root: string) => root.replaceAll('/', '-');

function run(cwd: string, cmd: string, args: string[]) {
  return execa(cmd, args, { cwd, env: env(), reject: false, all: true });
}

const nx = (cwd: string, ...args: string[]) => run(cwd, join(cwd, 'node_modules', '.bin', 'nx'), args);
const git = (cwd: string, ...args: string[]) => run(cwd, 'git', args);

/** Scaffolds with the built CLI, installs what its package.json names (nx, and the plugin tarball the CLI ships), commits. */
async function scaffold(layout: string): Promise<{ dir: string; roots: () => string[] }> {
  const parent = tempDir('cti-nx-e2e-');
  const cli = await runCli(['infra', '--yes', '--name', 'acme', '--layout', layout, '--skip-validate'], { cwd: parent, env: tofuEnv() });
  expect(cli.exitCode, cli.stderr).toBe(0);
  const dir = join(parent, 'infra');
  const manifest = () => JSON.parse(readFileSync(join(dir, 'tofu-infra.json'), 'utf8'));
  const install = await run(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  expect(install.exitCode, install.all).toBe(0);
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['config', 'user.email', 'e2e@example.com'],
    ['config', 'user.name', 'e2e'],
    ['add', '-A'],
    ['commit', '-qm', 'scaffold'],
  ]) {
    const r = await git(dir, ...args);
    expect(r.exitCode, r.all).toBe(0);
  }
  return { dir, roots: () => manifest().roots as string[] };
}

/**
 * Seeds the toolchain's lock file into every root and module (committed with the rest before
 * `nx affected` compares with HEAD, as a team commits its lock files): without one, each of nx's
 * parallel `tofu init`s re-links the provider in the shared plugin cache and they race ("still
 * not detected in ... plugin-cache").
 */
function seedLockFiles(dir: string, paths: string[]): void {
  for (const path of paths) copyFileSync(toolchain().lockFile, join(dir, path, '.terraform.lock.hcl'));
}

async function status(dir: string): Promise<string> {
  return (await git(dir, 'status', '--porcelain')).stdout;
}

describe('nx plugin in a generated repository', () => {
  it('directory layout: nx g grows it, run-many validates every root, affected follows a module change', async () => {
    const { dir, roots } = await scaffold('directory');

    const dry = await nx(dir, 'g', 'add-environment', 'qa', '--dry-run');
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.all).toContain('CREATE environments/qa/backend.tf');
    expect(dry.all).toContain('no changes were made');
    expect(await status(dir)).toBe('');

    const addEnv = await nx(dir, 'g', 'add-environment', 'qa');
    expect(addEnv.exitCode, addEnv.all).toBe(0);
    expect(addEnv.all).toContain('Formatted with tofu fmt: environments/qa');
    expect(readFileSync(join(dir, 'environments/qa/backend.tf'), 'utf8')).toContain('"acme-tofu-state-qa"');
    expect(roots()).toContain('environments/qa');

    const before = await status(dir);
    const again = await nx(dir, 'g', 'add-environment', 'qa');
    expect(again.exitCode).not.toBe(0);
    expect(again.all).toMatch(/Environment "qa" already exists[\s\S]*Nothing was changed/);
    expect(await status(dir)).toBe(before);

    const addRegion = await nx(dir, 'g', 'add-region', 'ap-southeast-2');
    expect(addRegion.exitCode, addRegion.all).toBe(0);
    const regionsChanged = await status(dir);
    const regionAgain = await nx(dir, 'g', 'add-region', 'ap-southeast-2');
    expect(regionAgain.exitCode, regionAgain.all).toBe(0);
    expect(regionAgain.all).toContain('Nothing to change: ap-southeast-2 is already configured in every root');
    expect(await status(dir)).toBe(regionsChanged);
    for (const root of roots().filter((r) => r !== 'bootstrap')) {
      expect(JSON.parse(readFileSync(join(dir, root, 'regions.auto.tfvars.json'), 'utf8')).regions['ap-southeast-2']).toEqual({
        enabled: true,
        vpc_cidr: '10.16.0.0/16',
      });
    }

    const shown = await nx(dir, 'show', 'projects', '--json');
    expect(shown.exitCode, shown.all).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(expect.arrayContaining(roots().map(projectName)));

    const fmt = await run(dir, 'tofu', ['fmt', '-check', '-recursive']);
    expect(fmt.exitCode, fmt.all).toBe(0);
    seedLockFiles(dir, [...roots(), 'modules/network', 'modules/database', 'modules/application']);
    const validate = await nx(dir, 'run-many', '-t', 'validate', '--output-style=static');
    expect(validate.exitCode, validate.all).toBe(0);
    expect(validate.all).toContain(`Successfully ran target validate for ${roots().length} projects`);
    for (const root of roots()) expect(validate.all).toContain(`nx run ${projectName(root)}:validate`);

    expect((await git(dir, 'add', '-A')).exitCode).toBe(0);
    expect((await git(dir, 'commit', '-qm', 'qa and ap-southeast-2')).exitCode).toBe(0);
    appendFileSync(join(dir, 'modules/network/variables.tf'), '\n# touched by the e2e test\n');

    const envRoots = roots()
      .filter((r) => r.startsWith('environments/'))
      .map(projectName)
      .sort();
    const affected = await nx(dir, 'show', 'projects', '--affected', '--base=HEAD', '--withTarget=validate', '--json');
    expect(affected.exitCode, affected.all).toBe(0);
    expect(JSON.parse(affected.stdout).sort()).toEqual(envRoots);
    const ran = await nx(dir, 'affected', '-t', 'validate', '--base=HEAD', '--output-style=static');
    expect(ran.exitCode, ran.all).toBe(0);
    expect(ran.all).toContain(`Successfully ran target validate for ${envRoots.length} projects`);
    for (const p of envRoots) expect(ran.all).toContain(`nx run ${p}:validate`);
    expect(ran.all).not.toContain('nx run bootstrap:validate');

    // The touched module's own tofu tests, and only those: the other modules did not change.
    const tested = await nx(dir, 'affected', '-t', 'test', '--base=HEAD', '--output-style=static');
    expect(tested.exitCode, tested.all).toBe(0);
    expect(tested.all).toContain('nx run modules-network:test');
    expect(tested.all).toMatch(/Success! \d+ passed, 0 failed\./);
    expect(tested.all).toContain('Successfully ran target test for project modules-network');

    const disable = await nx(dir, 'g', 'remove-region', 'ap-southeast-2');
    expect(disable.exitCode, disable.all).toBe(0);
    expect(disable.all).toContain('Then run step 2: npx nx g remove-region ap-southeast-2 --drop');
    const drop = await nx(dir, 'g', 'remove-region', 'ap-southeast-2', '--drop');
    expect(drop.exitCode, drop.all).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'environments/qa/regions.auto.tfvars.json'), 'utf8')).regions).not.toHaveProperty('ap-southeast-2');
    // remove-environment, by the real nx: refused while its regions are enabled, then both steps.
    const early = await nx(dir, 'g', 'remove-environment', 'qa', '--drop');
    expect(early.exitCode).not.toBe(0);
    expect(early.all).toMatch(/"qa" still has enabled regions[\s\S]*Nothing was changed/);
    const disableEnv = await nx(dir, 'g', 'remove-environment', 'qa');
    expect(disableEnv.exitCode, disableEnv.all).toBe(0);
    expect(disableEnv.all).toContain('Then run step 2: npx nx g remove-environment qa --drop');
    const dropEnv = await nx(dir, 'g', 'remove-environment', 'qa', '--drop');
    expect(dropEnv.exitCode, dropEnv.all).toBe(0);
    expect(roots()).not.toContain('environments/qa');
    expect(existsSync(join(dir, 'environments/qa'))).toBe(false);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('environments: dev, staging, prod;');
    const validateAfterDrop = await nx(dir, 'run-many', '-t', 'validate', '--output-style=static');
    expect(validateAfterDrop.exitCode, validateAfterDrop.all).toBe(0);
  });

  it('hybrid layout: a module change reaches the service roots through their stack, and invalidates their cache', async () => {
    const { dir, roots } = await scaffold('hybrid');
    // Lock files are committed in a generated repository (no longer gitignored): seeded and
    // committed here, or validate's init leaves an untracked one that `nx affected` counts.
    seedLockFiles(dir, roots());
    for (const args of [
      ['add', '-A'],
      ['commit', '-qm', 'lock files'],
    ])
      expect((await git(dir, ...args)).exitCode).toBe(0);
    const first = await nx(dir, 'run', 'services-app-envs-dev:validate', '--output-style=static');
    expect(first.exitCode, first.all).toBe(0);
    const cached = await nx(dir, 'run', 'services-app-envs-dev:validate', '--output-style=static');
    expect(cached.all).toMatch(/local cache|existing outputs match the cache/);

    appendFileSync(join(dir, 'modules/database/variables.tf'), '\n# touched by the e2e test\n');
    const affected = await nx(dir, 'show', 'projects', '--affected', '--base=HEAD', '--withTarget=validate', '--json');
    expect(JSON.parse(affected.stdout).sort()).toEqual(
      roots()
        .filter((r) => r.startsWith('services/'))
        .map(projectName)
        .sort(),
    );
    const rerun = await nx(dir, 'run', 'services-app-envs-dev:validate', '--output-style=static');
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.all).not.toMatch(/local cache|existing outputs match the cache/);

    appendFileSync(join(dir, 'modules/network/variables.tf'), '\n# touched by the e2e test\n');
    await git(dir, 'checkout', '--', 'modules/database/variables.tf');
    const network = await nx(dir, 'show', 'projects', '--affected', '--base=HEAD', '--withTarget=validate', '--json');
    expect(JSON.parse(network.stdout)).toEqual(['shared']);

    // add-service, by the real nx: a stack whose roots Nx infers and tofu validates.
    const service = await nx(dir, 'g', 'add-service', 'billing');
    expect(service.exitCode, service.all).toBe(0);
    expect(service.all).toContain('npx nx run services-billing-envs-dev:plan');
    expect(roots()).toContain('services/billing/envs/dev');
    seedLockFiles(dir, ['services/billing/envs/dev']);
    const billing = await nx(dir, 'run', 'services-billing-envs-dev:validate', '--output-style=static');
    expect(billing.exitCode, billing.all).toBe(0);
  });
});
