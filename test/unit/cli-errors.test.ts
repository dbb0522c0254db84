// Bad input: a clear message naming the problem and the valid forms, exit code 2, and nothing
// written. Each case spawns the built CLI and compares the directory before and after.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';

function snapshotTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

async function expectRejected(args: string[], message: RegExp, prepare?: (parent: string) => void) {
  const parent = tempDir('cti-bad-');
  prepare?.(parent);
  const before = snapshotTree(parent);
  const r = await runCli(args, { cwd: parent });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Nothing was written.');
  expect(r.exitCode).toBe(2);
  expect(snapshotTree(parent)).toEqual(before);
}

describe.concurrent('create-tofu-infra rejects bad input with exit 2 and writes nothing', () => {
  it.each([
    ['uppercase environment', ['out', '--envs', 'dev,Prod'], /environment name "Prod" has uppercase letters.*Use lowercase letters, digits and single hyphens/],
    ['environment with a space', ['out', '--envs', 'dev,my env'], /environment name "my env" contains a space/],
    ['environment with a path separator', ['out', '--envs', 'dev,../prod'], /contains a path separator/],
    ['duplicate environments', ['out', '--envs', 'dev,prod,dev'], /--envs: "dev" is listed more than once/],
    ['empty environment', ['out', '--envs', 'dev,,prod'], /environment name is empty/],
    ['"default" in the workspace layout', ['out', '--layout', 'workspace', '--envs', 'default'], /"default" cannot be an environment in the workspace layout/],
    [
      '"shared" in the hybrid layout (its shared root owns that name)',
      ['out', '--layout', 'hybrid', '--envs', 'shared,prod'],
      /"shared" cannot be an environment in the hybrid layout/,
    ],
    ['malformed region', ['out', '--regions', 'eu-west-1,Europe'], /region "Europe" is not an AWS region name.*e\.g\. eu-west-1,eu-central-1/],
    ['unknown flag', ['out', '--colour'], /unknown option '--colour'.*--help/],
    ['unknown layout', ['out', '--layout', 'flat'], /--layout "flat" is not valid\. Valid values: workspace, directory, hybrid/],
    ['unknown backend', ['out', '--backend', 'azurerm'], /--backend "azurerm" is not valid\. Valid values: s3, gcs, scaleway, http, local/],
    ['unknown key provider', ['out', '--key-provider', 'vault'], /Valid values: pbkdf2, aws_kms, gcp_kms, openbao, none/],
    ['unknown CI target', ['out', '--ci', 'jenkins'], /--ci "jenkins" is not valid/],
    ['unknown module', ['out', '--modules', 'network,cache'], /--modules "cache" is not a module\. Valid modules: network, database, application/],
    ['--lock with a non-s3 backend', ['out', '--backend', 'gcs', '--lock', 'dynamodb'], /--lock only applies to --backend s3/],
    ['--services outside the hybrid layout', ['out', '--services', 'api'], /--services only applies to --layout hybrid/],
    ['uppercase service', ['out', '--layout', 'hybrid', '--services', 'Api'], /service name "Api" has uppercase letters/],
    ['invalid --name', ['out', '--name', 'Acme Corp'], /--name name "Acme Corp" contains a space/],
    ['bucket name too long', ['out', '--name', 'a'.repeat(30), '--envs', 'production-europe-west'], /bucket name .* must be 3 to 63 characters long/],
    [
      'malformed --github-repo',
      ['out', '--github-repo', 'https://github.com/acme/infra'],
      /--github-repo "https:\/\/github.com\/acme\/infra" is not a GitHub repository\. Use owner\/name/,
    ],
    ['--github-repo without GitHub pipelines', ['out', '--ci', 'gitlab', '--github-repo', 'acme/infra'], /--github-repo only applies with GitHub pipelines/],
    ['--gitlab-project that is not a path', ['out', '--gitlab-project', 'infra'], /--gitlab-project "infra" is not a GitLab project path\. Use group\/project/],
    ['--gitlab-host without --gitlab-project', ['out', '--gitlab-host', 'gitlab.example.com'], /--gitlab-host only applies with --gitlab-project/],
    [
      '--gitlab-host with a scheme',
      ['out', '--gitlab-project', 'acme/infra', '--gitlab-host', 'https://gitlab.example.com'],
      /--gitlab-host "https:\/\/gitlab.example.com" is not a host name/,
    ],
    [
      'CI identities without a bootstrap stack',
      ['out', '--backend', 'gcs', '--key-provider', 'gcp_kms', '--github-repo', 'acme/infra'],
      /--github-repo needs the bootstrap stack/,
    ],
    ['no directory', ['--yes'], /missing the directory to create/],
    ['an extra argument', ['out', 'other'], /too many arguments/],
  ])('%s', async (_name, args, message) => {
    await expectRejected(args, message);
  });

  it('a non-empty target without --force', async () => {
    await expectRejected(['out'], /out is not empty \(1 entry\).*--force/, (parent) => {
      mkdirSync(join(parent, 'out'));
      writeFileSync(join(parent, 'out', 'keep.txt'), 'mine');
    });
  });

  it('a target that is a file', async () => {
    await expectRejected(['out'], /out exists and is a file, not a directory/, (parent) => writeFileSync(join(parent, 'out'), 'x'));
  });
});

describe('create-tofu-infra --help, --version, --dry-run', () => {
  it('documents every flag in --help', async () => {
    const r = await runCli(['--help'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    for (const flag of [
      '--layout',
      '--envs',
      '--regions',
      '--services',
      '--modules',
      '--backend',
      '--lock',
      '--key-provider',
      '--ci',
      '--name',
      '--yes',
      '--dry-run',
      '--force',
      '--skip-validate',
      '--version',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('prints its version', async () => {
    const r = await runCli(['--version'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const parent = tempDir('cti-dry-');
    const r = await runCli(['out', '--dry-run'], { cwd: parent });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Dry run: would write');
    expect(r.stdout).toContain('  environments/dev/backend.tf');
    expect(r.stdout).toContain('  tofu-infra.json');
    expect(r.stdout).toContain('Nothing was written.');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('--force writes into a non-empty directory and keeps files it did not generate', async () => {
    const parent = tempDir('cti-force-');
    mkdirSync(join(parent, 'out'));
    writeFileSync(join(parent, 'out', 'NOTES.md'), 'mine');
    const r = await runCli(['out', '--force', '--skip-validate', '--name', 'acme'], { cwd: parent });
    expect(r.exitCode).toBe(0);
    const files = readdirSync(join(parent, 'out'));
    expect(files).toContain('NOTES.md');
    expect(files).toContain('tofu-infra.json');
    expect(readdirSync(parent)).toEqual(['out']);
  });
});
