// The generated repository's own quality gates, with the real tools: the fresh output of every
// layout passes tofu test (every module), tflint and checkov; a module broken on purpose fails
// tofu test, a finding fails tflint and checkov; the pre-commit configuration parses and its
// repo: local hooks run; renovate.json passes Renovate's own validator.
//
// One thing cannot run here: tflint's aws ruleset (its plugin is downloaded from GitHub by
// `tflint --init`; the Go module proxy does not serve it). tflint runs with a copy of the
// generated .tflint.hcl without that one plugin block, and the test says so.
import { readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaffold } from '../harness/generated.js';
import { AWS_RULESET, checkov, moduleDirs, offlineTflintConfig, ownPluginCache, tflint, tofuTest, withLinters } from '../harness/quality.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

const LAYOUTS = ['workspace', 'directory', 'hybrid'] as const;
/** A copy of the generated .tflint.hcl without the aws ruleset, which cannot be downloaded here. */
function offlineConfig(repo: string): string {
  expect(readFileSync(join(repo, '.tflint.hcl'), 'utf8')).toMatch(AWS_RULESET);
  return offlineTflintConfig(repo, join(tempDir('cti-tflint-'), 'tflint-offline.hcl'));
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `${file} should contain ${from}`).not.toBe(text);
  writeFileSync(file, next);
}

describe.each(LAYOUTS)('fresh %s repository', (layout) => {
  let repo: string;
  beforeAll(async () => {
    repo = await scaffold(['--name', 'acme', '--layout', layout, '--lock', 'both', '--ci', 'gitlab,github', '--owners', '@acme/platform']);
  });

  it('passes tofu test in every module (mocked aws provider, no credentials)', async () => {
    const dirs = moduleDirs(repo);
    expect(dirs.map((d) => d.split('/').pop()).sort()).toEqual(['application', 'database', 'network']);
    const results = await Promise.all(dirs.map((d) => tofuTest(d)));
    for (const [i, r] of results.entries()) {
      expect(r.ok, `${dirs[i]}:\n${r.output}`).toBe(true);
      expect(r.output).toMatch(/Success! \d+ passed, 0 failed\./);
    }
  });

  it('passes tflint (bundled terraform ruleset, recommended preset) in every directory', async () => {
    const r = await tflint(repo, offlineConfig(repo));
    expect(r.ok, r.output).toBe(true);
  });

  it('passes checkov over the whole repository; every skip is in the code with its reason', async () => {
    const r = await checkov(repo);
    expect(r.failed).toEqual([]);
    expect(r.passed).toBeGreaterThan(100);
  });

  it('follows its own .editorconfig: LF, a final newline, no trailing whitespace, no tabs', () => {
    const files = (readdirSync(repo, { recursive: true, withFileTypes: true }) as Dirent[]).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(40);
    // Text files only: the packed Nx plugin (.tofu-infra/*.tgz) is bytes, which no editor edits.
    for (const file of files.filter((f) => !f.endsWith('.md') && !f.endsWith('.tgz'))) {
      const text = readFileSync(file, 'utf8');
      expect(text.endsWith('\n'), file).toBe(true);
      expect(text, file).not.toMatch(/[ \t]+\n|\r|\t/);
    }
  });
});

// Inputs a combination leaves without a reader: the hybrid stack with no service module, the
// workspace layout's key_environment with a key provider that does not name keys by environment.
// Each carries a reasoned tflint-ignore; without it, terraform_unused_declarations fails the repository.
describe.each([
  {
    flags: ['--layout', 'hybrid', '--modules', 'network'],
    file: 'services/app/modules/stack/variables.tf',
    unused: 'variable "vpc_id" is declared but not used',
  },
  { flags: ['--layout', 'workspace', '--key-provider', 'pbkdf2'], file: 'infra/locals.tf', unused: 'local.key_environment is declared but not used' },
])('$flags: inputs no chosen feature reads', ({ flags, file, unused }) => {
  it('pass tflint through their reasoned annotation, and fail it without', async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev,prod', ...flags]);
    const config = offlineConfig(repo);
    const clean = await tflint(repo, config);
    expect(clean.ok, clean.output).toBe(true);
    edit(join(repo, file), /^ *# tflint-ignore: terraform_unused_declarations # .*\n/gm, '');
    const bare = await tflint(repo, config);
    expect(bare.ok).toBe(false);
    expect(bare.output).toContain(unused);
  });
});

describe('a module broken on purpose fails tofu test', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await scaffold(['--name', 'acme', '--envs', 'dev']);
  });

  it('a validation removed: the run expecting the rejection fails', async () => {
    const dir = join(repo, 'modules', 'network');
    edit(join(dir, 'variables.tf'), /\n  validation \{\n    condition     = try\(cidrhost\(var\.vpc_cidr, 0\) == split[^\n]*\n[^\n]*\n  \}\n/, '\n');
    const r = await tofuTest(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/run "rejects_a_cidr_not_at_its_network_address"\.\.\. fail/);
    expect(r.output).toContain('Missing expected failure');
  });

  it('a password attribute instead of the managed secret: the state would hold it, and the test says so', async () => {
    const dir = join(repo, 'modules', 'database');
    edit(join(dir, 'main.tf'), 'manage_master_user_password = true', 'password                    = "not-a-real-password-0"');
    const r = await tofuTest(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('The configuration must never set a master password');
  });
});

describe('a finding fails the static analysis', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await scaffold(['--name', 'acme', '--envs', 'dev']);
  });

  it('tflint: an unused variable', async () => {
    writeFileSync(join(repo, 'modules', 'network', 'unused.tf'), 'variable "unused" {\n  type = string\n}\n');
    const r = await tflint(repo, offlineConfig(repo));
    expect(r.ok).toBe(false);
    expect(r.output).toContain('terraform_unused_declarations');
  });

  it('checkov: a publicly accessible database', async () => {
    edit(join(repo, 'modules', 'database', 'main.tf'), 'publicly_accessible    = false', 'publicly_accessible    = true');
    const r = await checkov(join(repo, 'modules', 'database'));
    expect(r.failed.some((f) => f.startsWith('CKV_AWS_17 '))).toBe(true);
  });
});

describe('pre-commit', () => {
  let repo: string;
  const env = () => withLinters(tofuEnv({ PRE_COMMIT_HOME: tempDir('cti-pre-commit-'), TF_PLUGIN_CACHE_DIR: ownPluginCache() }));
  beforeAll(async () => {
    repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--ci', 'gitlab']);
    // Test-only: the aws ruleset cannot be downloaded here (see the top of this file).
    offlineTflintConfig(repo);
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
    ])
      await execa('git', args, { cwd: repo });
  });

  it('validate-config accepts the generated configuration', async () => {
    const r = await execa(toolchain().preCommit, ['validate-config', '.pre-commit-config.yaml'], { cwd: repo, env: env(), reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
  });

  it('runs every repo: local hook on the fresh repository, and they pass', async () => {
    const r = await execa(toolchain().preCommit, ['run', '--all-files', '--verbose', '--color', 'never'], { cwd: repo, env: env(), reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    for (const hook of ['tofu fmt -check', 'tofu validate', 'tofu test', 'tflint', 'checkov']) expect(r.all).toMatch(new RegExp(`${hook}[^\\n]*Passed`));
    // The hooks found the roots and modules themselves: bootstrap and dev validated, three modules tested.
    expect(r.all.match(/Success! The configuration is valid/g)).toHaveLength(2);
    expect(r.all.match(/Success! \d+ passed, 0 failed\./g)).toHaveLength(3);
  });

  it('the tofu test hook fails on a broken module', async () => {
    edit(join(repo, 'modules', 'database', 'main.tf'), 'manage_master_user_password = true', 'password                    = "not-a-real-password-0"');
    const r = await execa(toolchain().preCommit, ['run', 'tofu-test', '--all-files', '--color', 'never'], { cwd: repo, env: env(), reject: false, all: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/tofu test[^\n]*Failed/);
  });
});

describe('renovate.json', () => {
  it("passes Renovate's own config validator (strict)", async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev']);
    const r = await execa(toolchain().renovateConfigValidator, ['--strict', 'renovate.json'], { cwd: repo, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain('Config validated successfully');
  });

  it('fails the validator on an unknown option (the validator is not a no-op)', async () => {
    const dir = tempDir('cti-renovate-');
    writeFileSync(join(dir, 'renovate.json'), '{ "extends": ["config:recommended"], "notAnOption": true }\n');
    const r = await execa(toolchain().renovateConfigValidator, ['--strict', 'renovate.json'], { cwd: dir, reject: false, all: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toContain('Invalid configuration option: notAnOption');
  });
});
