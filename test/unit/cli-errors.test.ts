// Bad input: a clear message naming the problem and the valid forms, exit code 2, nothing written
// and no stack trace. Each case spawns the built CLI and compares the whole tree around the
// target byte for byte before and after.
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { STACK_TRACE, treeFingerprint } from '../harness/tree.js';

/** Runs the CLI in a fresh parent directory (prepared first) and asserts a clean refusal. */
async function expectRejected(args: string[], message: RegExp, prepare?: (parent: string) => void): Promise<CliResult> {
  const parent = tempDir('cti-bad-');
  prepare?.(parent);
  const before = treeFingerprint(parent);
  const r = await runCli(args, { cwd: parent });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Nothing was written.');
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.stdout).toBe('');
  expect(r.exitCode).toBe(2);
  expect(treeFingerprint(parent)).toEqual(before);
  return r;
}

const seventeenRegions =
  'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-central-2,eu-north-1,eu-south-1,eu-south-2,ap-south-1,ap-east-1,ap-northeast-1,ap-northeast-2,sa-east-1';

// Spawns take ~0.3 s each; the timeout leaves room for a machine shared with other work.
describe.concurrent('create-tofu-infra refuses bad input: exit 2, the problem and valid forms, nothing written, no trace', { timeout: 20_000 }, () => {
  describe.concurrent('names', () => {
    it.each([
      [
        'uppercase environment',
        ['out', '--envs', 'dev,Prod'],
        /environment name "Prod" has uppercase letters.*Use lowercase letters, digits and single hyphens/,
      ],
      ['environment with a space', ['out', '--envs', 'dev,my env'], /environment name "my env" contains a space.*Use lowercase/],
      ['environment with a path separator', ['out', '--envs', 'dev,../prod'], /contains a path separator.*Use lowercase/],
      ['duplicate environments', ['out', '--envs', 'dev,prod,dev'], /--envs: "dev" is listed more than once/],
      ['empty environment', ['out', '--envs', 'dev,,prod'], /environment name is empty.*e\.g\. dev, staging, prod-eu/],
      ['uppercase service', ['out', '--layout', 'hybrid', '--services', 'Api'], /service name "Api" has uppercase letters/],
      ['invalid --name', ['out', '--name', 'Acme Corp'], /--name name "Acme Corp" contains a space.*e\.g\. acme/],
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });
  });

  describe.concurrent('names the system reserves, or that collide once mapped', () => {
    it.each([
      [
        '"default" in the workspace layout (the tofu workspace)',
        ['out', '--layout', 'workspace', '--envs', 'default'],
        /"default" cannot be an environment in the workspace layout.*Pick another name \(e\.g\. dev\)/,
      ],
      [
        '"shared" in the hybrid layout (its shared root)',
        ['out', '--layout', 'hybrid', '--envs', 'dev,shared'],
        /"shared" cannot be an environment in the hybrid layout.*Pick another name/,
      ],
      [
        'two hybrid roots mapping to one Nx project / CI job / GitLab state name',
        ['out', '--layout', 'hybrid', '--services', 'a,a-envs-b', '--envs', 'b-envs-c,c'],
        /services\/a\/envs\/b-envs-c and services\/a-envs-b\/envs\/c would both be named "services-a-envs-b-envs-c".*Rename an environment or service/,
      ],
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });
  });

  describe.concurrent('CI identities (the repositories that bootstrap roles trust)', () => {
    it.each([
      [
        'malformed --github-repo',
        ['out', '--github-repo', 'https://github.com/acme/infra'],
        /--github-repo "https:\/\/github.com\/acme\/infra" is not a GitHub repository\. Use owner\/name/,
      ],
      ['--github-repo without GitHub pipelines', ['out', '--ci', 'gitlab', '--github-repo', 'acme/infra'], /--github-repo only applies with GitHub pipelines/],
      [
        '--gitlab-project that is not a path',
        ['out', '--gitlab-project', 'infra'],
        /--gitlab-project "infra" is not a GitLab project path\. Use group\/project/,
      ],
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
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });
  });

  describe.concurrent('--accounts (one AWS account per environment)', () => {
    const base = ['out', '--envs', 'dev,prod'];
    it.each([
      [
        'an environment without an account (partial mapping)',
        [...base, '--accounts', 'dev=111111111111'],
        /--accounts names no account for prod: every environment needs one\. Use env=account-id pairs, comma-separated, one per environment \(e\.g\. --accounts dev=111111111111,prod=222222222222\)/,
      ],
      [
        "the hybrid layout without the shared root's account",
        ['out', '--layout', 'hybrid', '--envs', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222'],
        /--accounts names no account for shared: every environment \(and shared, the shared root's state\) needs one/,
      ],
      [
        'an account for an unknown environment',
        [...base, '--accounts', 'dev=111111111111,prod=222222222222,qa=333333333333'],
        /--accounts names "qa", which is not an environment \(environments: dev, prod\)/,
      ],
      [
        'an account id that is not 12 digits',
        [...base, '--accounts', 'dev=11111111111,prod=222222222222'],
        /--accounts dev: "11111111111" is not an AWS account id \(12 digits/,
      ],
      ['an account id with letters', [...base, '--accounts', 'dev=abcdefghijkl,prod=222222222222'], /--accounts dev: "abcdefghijkl" is not an AWS account id/],
      [
        'a pair without "="',
        [...base, '--accounts', 'dev:111111111111,prod=222222222222'],
        /--accounts: "dev:111111111111" is not env=account-id\. Use env=account-id pairs/,
      ],
      [
        'an environment given twice',
        [...base, '--accounts', 'dev=111111111111,prod=222222222222,dev=333333333333'],
        /--accounts: "dev" is given more than once \(111111111111 and 333333333333\); give each environment one account/,
      ],
      [
        'a backend other than s3',
        [...base, '--backend', 'gcs', '--key-provider', 'gcp_kms', '--accounts', 'dev=111111111111,prod=222222222222'],
        /--accounts needs --backend s3 \(got --backend gcs\).*Use --backend s3, or drop --accounts/,
      ],
      [
        'the workspace layout',
        [...base, '--layout', 'workspace', '--accounts', 'dev=111111111111,prod=222222222222'],
        /--accounts needs one root per environment \(--layout directory or hybrid\).*Use --layout directory, or drop --accounts/,
      ],
    ])('%s', async (_name, args, message) => {
      await expectRejected(['--yes', ...args], message);
    });
  });

  describe.concurrent('regions', () => {
    it.each([
      ['malformed region', ['out', '--regions', 'eu-west-1,Europe'], /region "Europe" is not an AWS region name.*e\.g\. eu-west-1,eu-central-1/],
      [
        'well-formed but not in the list (with the list, its date and the override)',
        ['out', '--regions', 'eu-west-9'],
        /region "eu-west-9" is not in the AWS region list of this version \(botocore [\d.]+ data\/endpoints\.json, \d{4}-\d\d-\d\d\); known eu-west-\*: eu-west-1, eu-west-2, eu-west-3\. .*--allow-unknown-region/,
      ],
      ['more regions than the CIDR plan holds', ['out', '--regions', seventeenRegions], /17 regions given; at most 16 fit the 10\.0\.0\.0\/8 VPC plan/],
      ['duplicate regions', ['out', '--regions', 'eu-west-1,eu-west-1'], /--regions: "eu-west-1" is listed more than once/],
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });

    it('--allow-unknown-region accepts a well-formed region missing from the list', async () => {
      const r = await runCli(['out', '--regions', 'eu-west-9', '--allow-unknown-region', '--dry-run'], { cwd: tempDir() });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('create    environments/dev/regions.auto.tfvars.json');
    });
  });

  describe.concurrent('each backend’s own naming rules', () => {
    it.each([
      [
        'S3: a prefix AWS reserves',
        ['out', '--name', 'sthree-acme'],
        /bucket name "sthree-acme-tofu-state-dev" uses a prefix AWS reserves, by the S3 bucket naming rules.*change --name/,
      ],
      ['S3: too long', ['out', '--name', 'a'.repeat(30), '--envs', 'production-europe-west'], /must be 3 to 63 characters long.*S3 bucket naming rules/],
      [
        'Cloud Storage: "goog" prefix',
        ['out', '--backend', 'gcs', '--name', 'google-infra'],
        /"google-infra-tofu-state-dev" starts with "goog", which Cloud Storage reserves/,
      ],
      [
        'Cloud Storage: "google" inside',
        ['out', '--backend', 'gcs', '--name', 'my-g00gle'],
        /contains "google" \(or a look-alike\), which Cloud Storage refuses/,
      ],
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });

    it('does not hold Scaleway to AWS’s reserved prefixes', async () => {
      const r = await runCli(['out', '--backend', 'scaleway', '--name', 'sthree-acme', '--dry-run'], { cwd: tempDir() });
      expect(r.exitCode).toBe(0);
    });
  });

  describe.concurrent('flags', () => {
    it.each([
      [
        'an option given twice',
        ['out', '--envs', 'a', '--envs', 'b'],
        /--envs was given 2 times \("a", "b"\); give it once, lists comma-separated \(e\.g\. --envs a,b\)/,
      ],
      ['--name given twice', ['out', '--name', 'a', '--name=b'], /--name was given 2 times \("a", "b"\); give it once/],
      ['unknown flag', ['out', '--colour'], /unknown option '--colour'.*--help/],
      ['unknown layout', ['out', '--layout', 'flat'], /--layout "flat" is not valid\. Valid values: workspace, directory, hybrid/],
      ['unknown backend', ['out', '--backend', 'azurerm'], /--backend "azurerm" is not valid\. Valid values: s3, gcs, scaleway, http, local/],
      ['unknown key provider', ['out', '--key-provider', 'vault'], /Valid values: pbkdf2, aws_kms, gcp_kms, openbao, none/],
      ['unknown CI target', ['out', '--ci', 'jenkins'], /--ci "jenkins" is not valid/],
      ['unknown module', ['out', '--modules', 'network,cache'], /--modules "cache" is not a module\. Valid modules: network, database, application/],
      ['--lock with a non-s3 backend', ['out', '--backend', 'gcs', '--lock', 'dynamodb'], /--lock only applies to --backend s3/],
      ['--services outside the hybrid layout', ['out', '--services', 'api'], /--services only applies to --layout hybrid/],
      ['--keep-existing without --force', ['out', '--keep-existing'], /--keep-existing only applies with --force: add --force/],
      ['--keep-existing with --overwrite', ['out', '--force', '--keep-existing', '--overwrite'], /contradict each other: pass one of them/],
      ['no directory', ['--yes'], /missing the directory to create.*e\.g\. create-tofu-infra my-infra --yes/],
      ['an extra argument', ['out', 'other'], /too many arguments/],
    ])('%s', async (_name, args, message) => {
      await expectRejected(args, message);
    });
  });

  describe.concurrent('target paths', () => {
    it('a non-empty target without --force', async () => {
      await expectRejected(['out'], /out is not empty \(1 entry\).*--force/, (parent) => {
        mkdirSync(join(parent, 'out'));
        writeFileSync(join(parent, 'out', 'keep.txt'), 'mine');
      });
    });

    it('a target that is a file', async () => {
      await expectRejected(['out'], /out exists and is a file, not a directory\. Pass a new or empty directory/, (parent) =>
        writeFileSync(join(parent, 'out'), 'x'),
      );
    });

    it('a file on the path', async () => {
      await expectRejected(
        ['out/sub/repo'],
        /out is a file, so .*out\/sub\/repo cannot be created under it\. Pass a path whose parents are directories/,
        (parent) => writeFileSync(join(parent, 'out'), 'x'),
      );
    });

    it('a symbolic link to a directory, or a dangling one', async () => {
      const prepare = (parent: string) => {
        mkdirSync(join(parent, 'real'));
        symlinkSync(join(parent, 'real'), join(parent, 'link'));
        symlinkSync(join(parent, 'nowhere'), join(parent, 'dangling'));
      };
      await expectRejected(['link'], /link is a symbolic link; create-tofu-infra never writes through one\. Pass the directory it points to/, prepare);
      await expectRejected(['dangling'], /dangling is a symbolic link/, prepare);
    });

    it('a name too long for the file system', async () => {
      await expectRejected(
        ['x'.repeat(300), '--name', 'acme'],
        /the directory name "x{40}\.\.\." is 300 bytes long; a file name may have at most 255\. Pick a shorter name/,
      );
    });
  });

  describe.concurrent('--force never overwrites a file it would change', () => {
    const userFiles = (parent: string) => {
      mkdirSync(join(parent, 'out'));
      writeFileSync(join(parent, 'out', 'README.md'), '# my notes\n');
      writeFileSync(join(parent, 'out', '.gitignore'), 'secrets/\n');
      writeFileSync(join(parent, 'out', 'package.json'), '{ "name": "mine" }\n');
      writeFileSync(join(parent, 'out', 'NOTES.md'), 'not generated\n');
    };

    it('refuses before writing anything, naming each such file', async () => {
      const r = await expectRejected(['out', '--force', '--skip-validate', '--name', 'acme'], /3 files already there would be overwritten:/, userFiles);
      expect(r.stderr).toContain('  .gitignore: differs from the file it would write');
      expect(r.stderr).toContain('  README.md: differs from the file it would write');
      expect(r.stderr).toContain('  package.json: differs from the file it would write');
      expect(r.stderr).not.toContain('NOTES.md');
      expect(r.stderr).toContain('pass --keep-existing to leave them as they are (and write the rest), or --overwrite to replace them');
    });

    it('refuses, whatever the flags, a directory or a link where it writes a file', async () => {
      const r = await expectRejected(
        ['out', '--force', '--overwrite', '--skip-validate', '--name', 'acme'],
        /2 files already there would be overwritten:/,
        (parent) => {
          mkdirSync(join(parent, 'out', 'README.md'), { recursive: true });
          symlinkSync('/etc/hostname', join(parent, 'out', '.gitignore'));
        },
      );
      expect(r.stderr).toContain('  README.md: a directory is in the way');
      expect(r.stderr).toContain('  .gitignore: a symbolic link is in the way');
      expect(r.stderr).toContain('no flag writes through them');
    });

    it('--dry-run shows the conflicts too, and refuses the same way', async () => {
      const r = await runCli(['out', '--force', '--dry-run', '--name', 'acme'], { cwd: tempDir() });
      expect(r.exitCode).toBe(0);
      const parent = tempDir('cti-bad-');
      userFiles(parent);
      const before = treeFingerprint(parent);
      const dry = await runCli(['out', '--force', '--dry-run', '--name', 'acme'], { cwd: parent });
      expect(dry.exitCode).toBe(2);
      expect(dry.stdout).toMatch(/^ {2}conflict {2}README\.md$/m);
      expect(dry.stdout).toMatch(/^ {2}create {4}tofu-infra\.json$/m);
      expect(dry.stderr).toContain('3 files already there would be overwritten');
      expect(treeFingerprint(parent)).toEqual(before);
    });
  });
});

describe('unwritable places', { timeout: 20_000 }, () => {
  it('a parent you cannot write to: exit 2, one line, nothing written', async () => {
    const parent = tempDir('cti-ro-');
    mkdirSync(join(parent, 'ro'));
    chmodSync(join(parent, 'ro'), 0o555);
    chmodSync(parent, 0o755);
    const before = treeFingerprint(parent);
    // root may write anywhere: run the CLI as root without the capabilities that override file
    // modes (switching to another user would need every folder above the CLI to be readable by it).
    const dropped = '-dac_override,-dac_read_search';
    const asNobody = process.getuid?.() === 0 ? ['setpriv', `--bounding-set=${dropped}`, `--inh-caps=${dropped}`] : [];
    const { execa } = await import('execa');
    const { CLI } = await import('../harness/cli.js');
    const [cmd, ...rest] = [...asNobody, process.execPath, CLI, 'ro/repo', '--yes', '--name', 'acme', '--skip-validate'];
    const r = await execa(cmd!, rest, { cwd: parent, env: { CI: 'true' }, reject: false, stdin: 'ignore' });
    expect(r.stderr).toMatch(/ro is not writable by you, so .*ro\/repo cannot be created there\. Pass a directory you may write to/);
    expect(r.stderr).toContain('Nothing was written.');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.exitCode).toBe(2);
    expect(treeFingerprint(parent)).toEqual(before);
  });
});

describe.runIf(existsSync('/proc/self'))('a file system that refuses what the checks could not foresee', () => {
  it('/proc: exit 4, one line naming the target and the error, nothing written, no trace', async () => {
    const cwd = tempDir('cti-io-');
    const r = await runCli(['/proc/cti-repo', '--name', 'acme', '--skip-validate'], { cwd });
    expect(r.stderr).toMatch(
      /^create-tofu-infra: error: could not write \/proc\/cti-repo: mkdir \/proc\/\.create-tofu-infra-\d+: ENOENT \(no such file or directory\)\. Nothing was written\.$/m,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.exitCode).toBe(4);
    expect(existsSync('/proc/cti-repo')).toBe(false);
    expect(treeFingerprint(cwd)).toEqual([]);
  });
});

describe('create-tofu-infra --help, --version', () => {
  it('documents every flag and every exit code in --help', async () => {
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
      '--keep-existing',
      '--overwrite',
      '--skip-validate',
      '--allow-unknown-region',
      '--json',
      '--version',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    for (const code of ['0', '1', '2', '3', '4', '70', '130']) expect(r.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
  });

  it('prints its version', async () => {
    const r = await runCli(['--version'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
