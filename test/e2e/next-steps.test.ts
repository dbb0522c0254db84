// A newcomer's first minutes, verbatim: scaffold with the built CLI (tofu on PATH, so it
// validates), then run the "Next steps" it printed, parsed from its output, exactly as printed:
// `npm install` (nx from the npm cache; the plugin from the tarball the CLI shipped into the
// repository, never packed by this test), the generators through npx, and validate through Nx.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

// `npm install` as printed; the npm cache is preferred (nx is in it), and no audit or fund calls.
const env = () =>
  tofuEnv({
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });

// Printed steps this test cannot take: reading is for a person, bootstrap needs a cloud account.
const NEEDS_A_PERSON_OR_A_CLOUD = [/^less README\.md$/, /^\(cd bootstrap && tofu init && tofu apply\)$/];

/** The commands under "Next steps:", each line `  <command>  # <why>`, comments dropped. */
function printedSteps(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf('Next steps:');
  expect(start, stdout).toBeGreaterThan(-1);
  return lines
    .slice(start + 1)
    .filter((line) => line.startsWith('  '))
    .map((line) => line.replace(/\s+#.*$/, '').trim());
}

/**
 * The toolchain's lock file in every root and module (gitignored, so the repository is as
 * generated): without one, nx's parallel `tofu init`s each re-link the provider in the shared
 * plugin cache and race.
 */
function seedLockFiles(dir: string): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'tofu-infra.json'), 'utf8'));
  const modules = (manifest.spec.modules as string[]).map((m) => `modules/${m}`);
  for (const path of [...(manifest.roots as string[]), ...modules]) copyFileSync(toolchain().lockFile, join(dir, path, '.terraform.lock.hcl'));
}

describe('the printed next steps', () => {
  it('work verbatim in a repository scaffolded without staging and eu-central-1', async () => {
    const parent = tempDir('cti-next-steps-');
    const cli = await runCli(['my-infra', '--yes', '--name', 'acme', '--envs', 'dev,prod', '--regions', 'eu-west-1'], { cwd: parent, env: tofuEnv() });
    expect(cli.exitCode, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/✓ all \d+ roots valid/);

    const steps = printedSteps(cli.stdout);
    expect(steps).toEqual([
      'cd my-infra',
      'less README.md',
      '(cd bootstrap && tofu init && tofu apply)',
      'npm install',
      'npx nx g add-environment staging',
      'npx nx g add-region eu-central-1',
      'npx nx run-many -t validate',
    ]);

    let cwd = parent;
    const ran: string[] = [];
    for (const step of steps) {
      if (NEEDS_A_PERSON_OR_A_CLOUD.some((skip) => skip.test(step))) continue;
      const cd = /^cd (\S+)$/.exec(step);
      if (cd) {
        cwd = join(cwd, cd[1]!);
        continue;
      }
      if (step.includes('run-many')) seedLockFiles(cwd);
      const r = await execa('sh', ['-c', step], { cwd, env: env(), reject: false, all: true });
      expect(r.exitCode, `${step}\n${r.all}`).toBe(0);
      ran.push(step);
      if (step.startsWith('npx nx g')) expect(r.all, step).not.toMatch(/(^|[^x] )nx (run|g) /m);
      if (step.includes('run-many')) expect(r.all).toMatch(/Successfully ran target validate for \d+ projects/);
    }
    expect(ran).toHaveLength(4);

    // The plugin came from the shipped tarball: it is not on the registry.
    const lock = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@create-tofu-infra/nx'].resolved).toMatch(/^file:\.tofu-infra\/create-tofu-infra-nx-.*\.tgz$/);

    const manifest = JSON.parse(readFileSync(join(cwd, 'tofu-infra.json'), 'utf8'));
    expect(manifest.spec.envs).toEqual(['dev', 'prod', 'staging']);
    expect(manifest.spec.regions.map((r: { name: string }) => r.name)).toEqual(['eu-west-1', 'eu-central-1']);
    expect(existsSync(join(cwd, 'environments/staging/backend.tf'))).toBe(true);
    const staging = JSON.parse(readFileSync(join(cwd, 'environments/staging/regions.auto.tfvars.json'), 'utf8'));
    expect(staging.regions['eu-central-1']).toEqual({ enabled: true, vpc_cidr: '10.16.0.0/16' });
  });
});
