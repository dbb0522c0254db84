// The promise that features are data, kept: `npm run new` adds a backend (named by us, rendering
// an OpenTofu backend type of its own choosing) and a key provider to a copy of this repository,
// touching no other file; the copy builds, type-checks, passes the unit tests, and scaffolds a
// repository with both that the real tofu validates.
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv } from '../harness/toolchain.js';

let copy: string;

/** The repository's files as git sees them (tracked and new, nothing ignored), copied; node_modules linked. */
async function copyRepository(): Promise<string> {
  const dir = tempDir('cti-contrib-');
  const { stdout } = await execa('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO });
  for (const file of stdout.split('\0').filter((f) => f !== '' && existsSync(join(REPO, f)))) cpSync(join(REPO, file), join(dir, file));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const run = (command: string, args: string[], env?: NodeJS.ProcessEnv) => execa(command, args, { cwd: copy, env, reject: false, all: true });

async function changedFiles(): Promise<string[]> {
  const { stdout } = await execa('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO });
  const original = new Set(stdout.split('\0'));
  const { stdout: now } = await execa('find', ['.', '-path', './node_modules', '-prune', '-o', '-type', 'f', '-print'], { cwd: copy });
  const files = now
    .split('\n')
    .map((f) => f.replace(/^\.\//, ''))
    .filter((f) => f !== '' && !f.includes('/dist/') && !/^packages\/[^/]+\/(templates|generators)\//.test(f));
  const added = files.filter((f) => !original.has(f));
  const modified = files.filter((f) => original.has(f) && readFileSync(join(copy, f), 'utf8') !== readFileSync(join(REPO, f), 'utf8'));
  return [...added, ...modified].sort();
}

describe('npm run new', () => {
  beforeAll(async () => {
    copy = await copyRepository();
    for (const args of [
      ['backend', 'minio', 's3'],
      ['key-provider', 'external'],
    ]) {
      const r = await run('node', ['generators/new.mjs', ...args]);
      expect(r.exitCode, r.all).toBe(0);
    }
  });

  it('writes a backend in three files and a key provider in four, and touches nothing else', async () => {
    const core = 'packages/create-tofu-infra/src/features';
    expect(await changedFiles()).toEqual(
      [
        `${core}/backends/minio.ts`,
        `${core}/backends/index.ts`,
        'templates/backends/minio.tf.hbs',
        `${core}/key-providers/external.ts`,
        `${core}/key-providers/index.ts`,
        'templates/encryption/key-providers/external.hcl.hbs',
        'templates/encryption/variables/external.tf.hbs',
      ].sort(),
    );
    expect(readFileSync(join(copy, core, 'backends/index.ts'), 'utf8')).toMatch(/import { minio } from '.\/minio.js';[\s\S]*\n  minio,\n} satisfies/);
  });

  it('builds, type-checks, is formatted, and passes the unit tests', async () => {
    for (const [command, args] of [
      // The plugin first: the CLI's build packs it (its tarball ships in every generated repository).
      ['node', ['packages/nx-plugin/build.mjs']],
      ['node', ['packages/create-tofu-infra/build.mjs']],
      ['npx', ['tsc', '--noEmit', '-p', 'packages/create-tofu-infra/tsconfig.json']],
      ['npx', ['tsc', '--noEmit', '-p', 'packages/nx-plugin/tsconfig.json']],
      ['npx', ['prettier', '--check', 'packages/create-tofu-infra/src']],
      ['npx', ['vitest', 'run', '--project', 'unit', '--reporter', 'dot']],
    ] as const) {
      const r = await run(command, [...args]);
      expect(r.exitCode, `${command} ${args.join(' ')}:\n${r.all}`).toBe(0);
    }
  });

  it('scaffolds a repository with both that the real tofu validates', async () => {
    const parent = tempDir('cti-contrib-out-');
    const r = await execa(
      'node',
      [
        join(copy, 'packages/create-tofu-infra/dist/cli.js'),
        'infra',
        '--yes',
        '--name',
        'acme',
        '--backend',
        'minio',
        '--key-provider',
        'external',
        '--envs',
        'dev,prod',
      ],
      {
        cwd: parent,
        env: tofuEnv({ CI: 'true' }),
        reject: false,
        all: true,
      },
    );
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('✓ all 2 roots valid');
    const root = join(parent, 'infra', 'environments', 'dev');
    expect(readFileSync(join(root, 'backend.tf'), 'utf8')).toContain('backend "s3" {\n    key = "environments/dev/terraform.tfstate"');
    expect(readFileSync(join(root, 'encryption.tf'), 'utf8')).toMatch(/key_provider "external" "dev" \{[\s\S]*variable "external_key_id"/);
  });
});
