// The generated pipelines pass the real linters: actionlint (with shellcheck on every run: script)
// on every workflow, GitLab's own CI schema (vendored by check-jsonschema) and gitlab-ci-local's
// parser on every .gitlab-ci.yml, for every layout and every credential kind that changes them.
// A broken copy of each proves the checks bite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { RawChoices } from '../../packages/create-tofu-infra/src/index.js';
import { actionlint, checkJsonschema, ciFiles, gitlabCiLocal, pathWithShellcheck, specOf } from '../harness/ci-pipelines.js';
import { tempDir } from '../harness/tmp.js';

const LAYOUTS = ['directory', 'workspace', 'hybrid'] as const;
const CREDENTIALS: RawChoices[] = [
  {},
  { keyProvider: 'pbkdf2' },
  { keyProvider: 'openbao' },
  { backend: 'http', keyProvider: 'pbkdf2' },
  { backend: 'gcs', keyProvider: 'gcp_kms' },
  { backend: 'scaleway', keyProvider: 'none' },
];
const variants = LAYOUTS.flatMap((layout) =>
  CREDENTIALS.map((c) => ({ layout, ...c, envs: 'dev,pre-prod,prod', ...(layout === 'hybrid' ? { services: 'app,api' } : {}) })),
);

/** A git repository holding the CI files of these choices (actionlint and gitlab-ci-local look for one). */
async function repoWithCi(choices: RawChoices): Promise<string> {
  const dir = tempDir('cti-ci-');
  for (const [path, content] of ciFiles(specOf(choices))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  await execa('git', ['init', '-q', '-b', 'main', dir]);
  return dir;
}

const runActionlint = (cwd: string) => execa(actionlint(), ['-no-color'], { cwd, env: { PATH: pathWithShellcheck() }, reject: false, all: true });
const runSchema = (cwd: string) =>
  execa(checkJsonschema(), ['--builtin-schema', 'vendor.gitlab-ci', '--data-transform', 'gitlab-ci', '.gitlab-ci.yml'], { cwd, reject: false, all: true });
const runGitlabCiLocal = (cwd: string) =>
  execa('node', [gitlabCiLocal(), '--list-json', '--json-schema-validation', '--no-evaluate-rule-changes'], { cwd, reject: false, all: true });

describe('generated pipelines pass the real linters', () => {
  it.each(variants)('$layout, backend $backend, key provider $keyProvider', async (choices) => {
    const dir = await repoWithCi(choices);
    const lint = await runActionlint(dir);
    expect(lint.exitCode, lint.all).toBe(0);
    const schema = await runSchema(dir);
    expect(schema.exitCode, schema.all).toBe(0);
    expect(schema.stdout).toContain('ok -- validation done');
    const gcl = await runGitlabCiLocal(dir);
    expect(gcl.exitCode, gcl.all).toBe(0);
    const jobs = JSON.parse(gcl.stdout) as { name: string }[];
    expect(jobs.map((j) => j.name)).toContain('validate');
  });
});

describe('the checks reject a broken pipeline', () => {
  it('actionlint: an unknown action input and an unquoted expansion', async () => {
    const dir = await repoWithCi({});
    const path = join(dir, '.github', 'workflows', 'tofu-root.yml');
    const text = ciFiles(specOf({})).get('.github/workflows/tofu-root.yml')!;
    writeFileSync(
      path,
      text.replace('role-to-assume:', 'role-to-asume:').replace('apply -input=false -lock-timeout=5m "$TOFU_PLAN"', 'apply -input=false $TOFU_PLAN'),
    );
    const lint = await runActionlint(dir);
    expect(lint.exitCode).not.toBe(0);
    expect(lint.all).toContain('input "role-to-asume" is not defined');
    expect(lint.all).toContain('SC2086');
  });

  it("GitLab's schema: an unknown `when`", async () => {
    const dir = await repoWithCi({});
    const text = ciFiles(specOf({})).get('.gitlab-ci.yml')!;
    writeFileSync(join(dir, '.gitlab-ci.yml'), text.replace('when: manual', 'when: sometimes'));
    const schema = await runSchema(dir);
    expect(schema.exitCode).not.toBe(0);
    expect(schema.all).toContain('sometimes');
  });
});
