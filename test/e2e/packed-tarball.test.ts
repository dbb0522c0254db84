// The published artifact works on its own: `npm pack`, install the tarball into an empty
// directory, scaffold with the installed bin and validate with the real tofu; the generated
// repository gets the Nx plugin tarball the CLI package carries.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv } from '../harness/toolchain.js';

describe('packed tarball', () => {
  it('installs into an empty directory, scaffolds and validates', async () => {
    const packDir = tempDir('cti-pack-');
    await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: join(REPO, 'packages', 'create-tofu-infra') });
    const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const consumer = tempDir('cti-consumer-');
    await execa('npm', ['init', '-y'], { cwd: consumer });
    const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--offline', join(packDir, tarball!)], {
      cwd: consumer,
      reject: false,
      all: true,
    });
    expect(install.exitCode, install.all).toBe(0);

    const bin = join(consumer, 'node_modules', 'create-tofu-infra', 'dist', 'cli.js');
    const r = await runCli(['my-infra', '--yes', '--regions', 'eu-west-1,eu-central-1'], { cwd: consumer, env: tofuEnv(), bin });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/✓ all \d+ roots valid/);

    // The Nx plugin travels inside the CLI's tarball into the generated repository, for `npm install` there.
    const shipped = readdirSync(join(consumer, 'my-infra', '.tofu-infra'));
    expect(shipped).toEqual([expect.stringMatching(/^create-tofu-infra-nx-\d+\.\d+\.\d+\.tgz$/)]);
    const generated = JSON.parse(readFileSync(join(consumer, 'my-infra', 'package.json'), 'utf8'));
    expect(generated.devDependencies['@create-tofu-infra/nx']).toBe(`file:.tofu-infra/${shipped[0]}`);

    // npx resolves the same bin from the local install.
    const npx = await execa('npx', ['--no-install', 'create-tofu-infra', '--version'], { cwd: consumer, reject: false });
    expect(npx.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
