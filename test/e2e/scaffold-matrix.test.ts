// The product's main promise: every layout, with one and three regions, one and the default
// environments, scaffolds non-interactively and passes the real tofu (fmt -check, init, validate
// in every root), run by the CLI itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv } from '../harness/toolchain.js';

const LAYOUTS = ['workspace', 'directory', 'hybrid'] as const;
const REGIONS = [['eu-west-1'], ['eu-west-1', 'eu-central-1', 'us-east-1']];
const ENVS = [['dev'], ['dev', 'staging', 'prod']];

const combos = LAYOUTS.flatMap((layout) => REGIONS.flatMap((regions) => ENVS.map((envs) => ({ layout, regions, envs }))));

describe.concurrent('scaffold + validate every layout', () => {
  it.each(combos)('$layout, regions $regions, envs $envs', async ({ layout, regions, envs }) => {
    const parent = tempDir('cti-matrix-');
    const r = await runCli(['infra', '--yes', '--name', 'acme', '--layout', layout, '--regions', regions.join(','), '--envs', envs.join(',')], {
      cwd: parent,
      env: tofuEnv(),
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(parent, 'infra', 'tofu-infra.json'), 'utf8'));
    expect(manifest.spec).toMatchObject({ layout, envs });
    expect(manifest.spec.regions.map((x: { name: string }) => x.name)).toEqual(regions);
    expect(r.stdout).toContain('✓ tofu fmt -check -recursive');
    for (const root of manifest.roots as string[]) expect(r.stdout).toMatch(new RegExp(`✓ ${root} \\(`));
    expect(r.stdout).toContain(`✓ all ${manifest.roots.length} roots valid`);
    const expectedRoots =
      layout === 'workspace'
        ? ['bootstrap', 'infra']
        : layout === 'directory'
          ? ['bootstrap', ...envs.map((e) => `environments/${e}`)]
          : ['bootstrap', 'shared', ...envs.map((e) => `services/app/envs/${e}`)];
    expect([...manifest.roots].sort()).toEqual(expectedRoots.sort());
  });
});
