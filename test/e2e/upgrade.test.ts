// create-tofu-infra upgrade, proven from a real earlier commit of this repository: its generator is
// built from `git archive` with the workspace's esbuild, scaffolds a repository, the user edits it
// (a module, an extra CI job, a README note, a deleted file), and the current build upgrades it.
// The result keeps every edit, carries the template changes made since that commit, passes the
// real tofu fmt -check and validate in every root, and a second upgrade changes nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Tree } from '@nx/devkit';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { upgradeGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { REPO, runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { initAndValidate, tofu } from '../harness/tofu.js';

/**
 * The "old" generator: the commit before the README's quality gates (aee2793) and the workspace
 * layout's TF_VAR_new_workspace (d750034, merged later), so infra/locals.tf, README.md and the
 * pipelines (upgrade-check) all changed since.
 */
const OLD_COMMIT = '7d79a17';

let oldCheckout: string;
let oldCli: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd, encoding: 'utf8' });

beforeAll(() => {
  oldCheckout = join(tempDir('cti-upgrade-old-'), 'create-tofu-infra');
  mkdirSync(oldCheckout);
  execFileSync('sh', ['-c', `git -C "${REPO}" archive ${OLD_COMMIT} | tar -x -C "${oldCheckout}"`]);
  symlinkSync(join(REPO, 'node_modules'), join(oldCheckout, 'node_modules'));
  execFileSync(process.execPath, [join(oldCheckout, 'packages/create-tofu-infra/build.mjs')], { cwd: oldCheckout });
  oldCli = join(oldCheckout, 'packages/create-tofu-infra/dist/cli.js');
});

/** A repository scaffolded by the old generator (workspace layout), committed to git. */
async function scaffoldOld(): Promise<string> {
  const parent = tempDir('cti-upgrade-');
  const r = await runCli(['acme', '--yes', '--skip-validate', '--layout', 'workspace', '--envs', 'dev,prod', '--modules', 'network'], {
    cwd: parent,
    bin: oldCli,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  const dir = join(parent, 'acme');
  expect(JSON.parse(readFileSync(join(dir, 'tofu-infra.json'), 'utf8'))).not.toHaveProperty('templates');
  git(dir, 'init', '-q');
  commitAll(dir, 'scaffold');
  return dir;
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const upgrade = (dir: string, ...args: string[]) => runCli(['upgrade', dir, '--base-from', oldCheckout, ...args], { cwd: REPO });

const MODULE_OUTPUT = `
output "team_note" {
  description = "Added by the team: upgrade must keep it."
  value       = "kept"
}
`;
const GITHUB_JOB = `
  team-job:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "the team's own job"
`;
const GITLAB_JOB = `
team-job:
  stage: validate
  script:
    - echo "the team's own job"
`;
const README_NOTE = '\n## Team notes\n\nOn call: #infra-oncall. Upgrade must keep this.\n';

/** The user's edits of each kind, committed. */
function editAsUser(dir: string): void {
  appendFileSync(join(dir, 'modules/network/outputs.tf'), MODULE_OUTPUT);
  appendFileSync(join(dir, '.github/workflows/tofu.yml'), GITHUB_JOB);
  appendFileSync(join(dir, '.gitlab-ci.yml'), GITLAB_JOB);
  appendFileSync(join(dir, 'README.md'), README_NOTE);
  rmSync(join(dir, 'renovate.json'));
  commitAll(dir, 'team edits');
}

describe('upgrade from a repository made by an earlier commit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scaffoldOld();
    editAsUser(dir);
  });

  it('--check lists the stale files and exits 1; --dry-run --diff prints the plan and changes nothing', async () => {
    const check = await upgrade(dir, '--check');
    expect(check.exitCode, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/update\s+infra\/locals\.tf/);
    expect(check.stdout).toMatch(/merge\s+README\.md/);

    const dry = await upgrade(dir, '--dry-run', '--diff');
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/merge\s+\.github\/workflows\/tofu\.yml/);
    expect(dry.stdout).toMatch(/deleted\s+renovate\.json/);
    expect(dry.stdout).toContain('+variable "new_workspace" {');
    expect(dry.stdout).toContain('Nothing was changed.');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses a dirty working tree (exit 2, nothing changed) unless --allow-dirty', async () => {
    writeFileSync(join(dir, 'scratch.txt'), 'uncommitted\n');
    const r = await upgrade(dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes[\s\S]*--allow-dirty/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(git(dir, 'status', '--porcelain')).toBe('?? scratch.txt\n');
    rmSync(join(dir, 'scratch.txt'));
  });

  it('keeps every edit, applies the template changes, and the result passes tofu fmt -check and validate in every root', async () => {
    const r = await upgrade(dir);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);

    // The user's edits.
    expect(read(dir, 'modules/network/outputs.tf')).toContain('output "team_note"');
    expect(read(dir, '.github/workflows/tofu.yml')).toContain('team-job:');
    expect(read(dir, '.gitlab-ci.yml')).toContain('team-job:');
    expect(read(dir, 'README.md')).toContain('## Team notes');
    expect(existsSync(join(dir, 'renovate.json'))).toBe(false);
    // The template changes since the old commit.
    expect(read(dir, 'infra/locals.tf')).toContain('variable "new_workspace"');
    expect(read(dir, 'README.md')).toContain('## Quality gates');
    expect(read(dir, '.github/workflows/tofu.yml')).toContain('upgrade --check');
    expect(read(dir, '.gitlab-ci.yml')).toMatch(/upgrade-check:[\s\S]*allow_failure: true/);
    const manifest = JSON.parse(read(dir, 'tofu-infra.json'));
    expect(manifest.templates).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(read(dir, 'README.md')).not.toContain('<<<<<<<');

    const fmt = await tofu(dir, ['fmt', '-check', '-recursive']);
    expect(fmt.exitCode, fmt.all).toBe(0);
    expect(manifest.roots).toEqual(['bootstrap', 'infra']);
    for (const root of manifest.roots as string[]) {
      const v = await initAndValidate(join(dir, root));
      expect(v.ok, `${root}: ${v.output}`).toBe(true);
    }
    for (const root of manifest.roots as string[]) rmSync(join(dir, root, '.terraform'), { recursive: true, force: true });
  });

  it('a second upgrade, and --check, change nothing', async () => {
    commitAll(dir, 'upgrade');
    const again = await upgrade(dir);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('up to date');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const check = await upgrade(dir, '--check');
    expect(check.exitCode).toBe(0);
  });

  it('renders the base of a manifest with a fingerprint through render-from-manifest: this build against itself changes nothing', async () => {
    const manifest = JSON.parse(read(dir, 'tofu-infra.json'));
    // As if another build had rendered it: not up to date, so the full plan runs, base = this build.
    writeFileSync(join(dir, 'tofu-infra.json'), `${JSON.stringify({ ...manifest, templates: 'sha256:0000000000000000' }, null, 2)}\n`);
    commitAll(dir, 'another fingerprint');
    const r = await runCli(['upgrade', dir, '--dry-run', '--base-from', REPO], { cwd: REPO });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 file(s) would change');
    expect(r.stdout).toMatch(/keep\s+README\.md/);
  });
});

describe('a conflict', () => {
  it('is written with git-style markers and named, exits 1, applies the rest, and leaves the manifest at the old version', async () => {
    const dir = await scaffoldOld();
    const locals = read(dir, 'infra/locals.tf');
    const line = /^ {2}key_environment = .*$/m;
    expect(locals).toMatch(line);
    writeFileSync(join(dir, 'infra/locals.tf'), locals.replace(line, '  key_environment = terraform.workspace'));
    commitAll(dir, 'team edit of the same line');

    const r = await upgrade(dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/1 file\(s\) conflict[\s\S]*infra\/locals\.tf/);
    const merged = read(dir, 'infra/locals.tf');
    expect(merged).toMatch(
      /<<<<<<< yours\n {2}key_environment = terraform\.workspace\n=======\n {2}key_environment = var\.new_workspace != null[^\n]*\n>>>>>>> create-tofu-infra /,
    );
    // The part of the same file nobody else touched is merged in.
    expect(merged).toContain('variable "new_workspace"');
    expect(read(dir, 'README.md')).toContain('## Quality gates');
    expect(JSON.parse(read(dir, 'tofu-infra.json'))).not.toHaveProperty('templates');

    // --continue refuses while a marker is left, then records the version once resolved by hand (the user's line wins).
    const early = await upgrade(dir, '--continue');
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toMatch(/Still unresolved[^\n]*infra\/locals\.tf/);
    const resolved = merged.replace(/<<<<<<< yours\n([^\n]*\n)=======\n[^\n]*\n>>>>>>> [^\n]*\n/, '$1');
    writeFileSync(join(dir, 'infra/locals.tf'), resolved);
    const done = await upgrade(dir, '--continue');
    expect(done.exitCode, `${done.stdout}\n${done.stderr}`).toBe(0);
    expect(read(dir, 'infra/locals.tf')).toBe(resolved);
    expect(JSON.parse(read(dir, 'tofu-infra.json')).templates).toMatch(/^sha256:/);
    commitAll(dir, 'upgrade, conflict resolved');
    expect((await upgrade(dir, '--check')).exitCode).toBe(0);
  });

  it('--conflict rej keeps your side and writes the hunks beside it', async () => {
    const dir = await scaffoldOld();
    const line = /^ {2}key_environment = .*$/m;
    writeFileSync(join(dir, 'infra/locals.tf'), read(dir, 'infra/locals.tf').replace(line, '  key_environment = terraform.workspace'));
    commitAll(dir, 'team edit of the same line');
    const r = await upgrade(dir, '--conflict', 'rej');
    expect(r.exitCode).toBe(1);
    expect(read(dir, 'infra/locals.tf')).not.toContain('<<<<<<<');
    expect(read(dir, 'infra/locals.tf')).toContain('  key_environment = terraform.workspace\n');
    expect(read(dir, 'infra/locals.tf.rej')).toContain('var.new_workspace != null');
  });
});

describe('bad input: exit 2, a clear message, nothing changed', () => {
  it('refuses a directory that is not a generated repository', async () => {
    const dir = tempDir('cti-upgrade-empty-');
    const r = await upgrade(dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no tofu-infra\.json here: this is not a repository made by create-tofu-infra/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a manifest from a newer version', (m: any) => ({ ...m, generatorVersion: '99.0.0' }), /newer than this one/],
    ['a manifest version that is not a version', (m: any) => ({ ...m, generatorVersion: 'latest' }), /not a version/],
    ['a key change half done', (m: any) => ({ ...m, keyChange: { kind: 'migrate' } }), /key change \(migrate\) is half done[\s\S]*key-change finish/],
    ['a manifest of another tool', (m: any) => ({ ...m, generator: 'other' }), /not written by create-tofu-infra/],
  ])('refuses %s', async (_name, edit, message) => {
    const dir = await scaffoldOld();
    writeFileSync(join(dir, 'tofu-infra.json'), `${JSON.stringify(edit(JSON.parse(read(dir, 'tofu-infra.json'))), null, 2)}\n`);
    commitAll(dir, 'manifest edited');
    const r = await upgrade(dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Nothing was written.');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses a --base-from without a built CLI', async () => {
    const dir = await scaffoldOld();
    const r = await runCli(['upgrade', dir, '--base-from', tempDir('cti-no-cli-')], { cwd: REPO });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no built create-tofu-infra CLI in it/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

/** The commit before the Scaleway backend read its keys from the profile "scaleway" (27b684d). */
const BEFORE_PROFILE = '27b684d~1';

describe('upgrade across a change of backend settings that keeps the state where it is', () => {
  it('names every root that needs tofu init -reconfigure (the Scaleway profile), and only those', async () => {
    const checkout = join(tempDir('cti-upgrade-scw-old-'), 'create-tofu-infra');
    mkdirSync(checkout);
    execFileSync('sh', ['-c', `git -C "${REPO}" archive ${BEFORE_PROFILE} | tar -x -C "${checkout}"`]);
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
    // This commit's CLI bundles the packed Nx plugin: that builds first.
    for (const pkg of ['nx-plugin', 'create-tofu-infra']) execFileSync(process.execPath, [join(checkout, `packages/${pkg}/build.mjs`)], { cwd: checkout });
    const parent = tempDir('cti-upgrade-scw-');
    const made = await runCli(
      ['acme', '--yes', '--skip-validate', '--layout', 'directory', '--envs', 'dev,prod', '--modules', 'network', '--backend', 'scaleway'],
      {
        cwd: parent,
        bin: join(checkout, 'packages/create-tofu-infra/dist/cli.js'),
      },
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const dir = join(parent, 'acme');
    expect(read(dir, 'environments/dev/backend.tf')).not.toContain('profile');
    git(dir, 'init', '-q');
    commitAll(dir, 'scaffold');

    const r = await runCli(['upgrade', dir, '--base-from', checkout], { cwd: REPO });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read(dir, 'environments/dev/backend.tf')).toContain('profile = "scaleway"');
    const advice = r.stdout.split('\n').find((l) => l.startsWith('Backend settings change in'));
    expect(advice, r.stdout).toBeDefined();
    // bootstrap's own state is local: its backend did not change, so it is not named.
    expect(advice).toContain('Backend settings change in environments/dev, environments/prod (the state stays where it is)');
    expect(advice).toContain('tofu init -reconfigure');
  });
});

describe('nx g @create-tofu-infra/nx:upgrade', () => {
  // Nx's own file-system Tree, flushed to disk as `nx g` does: the generator runs the same core.
  const { FsTree, flushChanges } = createRequire(import.meta.url)('nx/src/generators/tree') as {
    FsTree: new (root: string, verbose: boolean) => Tree;
    flushChanges: (root: string, changes: ReturnType<Tree['listChanges']>) => void;
  };

  it('keeps the edits and applies the template changes like the CLI, and a second run says up to date', async () => {
    const dir = await scaffoldOld();
    editAsUser(dir);
    const said: string[] = [];
    vi.spyOn(log, 'info').mockImplementation((text) => void said.push(text));
    try {
      const tree = new FsTree(dir, false);
      await upgradeGenerator(tree, { baseFrom: oldCheckout });
      flushChanges(dir, tree.listChanges());
      expect(read(dir, 'README.md')).toContain('## Team notes');
      expect(read(dir, 'README.md')).toContain('## Quality gates');
      expect(read(dir, '.gitlab-ci.yml')).toMatch(/team-job:[\s\S]*/);
      expect(read(dir, '.gitlab-ci.yml')).toContain('upgrade --check');
      expect(read(dir, 'infra/locals.tf')).toContain('variable "new_workspace"');
      expect(existsSync(join(dir, 'renovate.json'))).toBe(false);
      expect(JSON.parse(read(dir, 'tofu-infra.json')).templates).toMatch(/^sha256:/);
      expect(said.join('\n')).toMatch(/deleted\s+renovate\.json/);

      const again = new FsTree(dir, false);
      await upgradeGenerator(again, {});
      expect(again.listChanges()).toEqual([]);
      expect(said.at(-1)).toContain('Up to date');
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses a workspace without tofu-infra.json and changes nothing', async () => {
    const dir = tempDir('cti-upgrade-nx-empty-');
    const tree = new FsTree(dir, false);
    await expect(upgradeGenerator(tree, {})).rejects.toThrow(/no tofu-infra\.json here[\s\S]*Nothing was changed/);
    expect(tree.listChanges()).toEqual([]);
  });
});
