// GitHub Actions cannot run here, but the one script that decides what gets planned can: the
// `affected` step of tofu.yml, run with bash, git and jq exactly as written in the workflow, over a
// real git history. It must pick the same roots as the GitLab pipeline's rules:changes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../harness/ci-gitlab-local.js';
import { ciFiles, specOf, yamlOf } from '../harness/ci-pipelines.js';
import { tempDir } from '../harness/tmp.js';

interface Step {
  run: string;
  env: Record<string, string>;
}

async function repoOf(choices: Parameters<typeof specOf>[0]): Promise<{ dir: string; step: Step; base: string }> {
  const dir = tempDir('cti-gh-');
  const files = ciFiles(specOf(choices));
  const workflow = yamlOf(files.get('.github/workflows/tofu.yml'), 'tofu.yml');
  const step = (workflow.jobs.affected.steps as Step[]).find((s) => s.run?.includes('git diff'))!;
  for (const [path, content] of files) write(dir, path, content);
  for (const path of [
    'environments/dev/main.tf',
    'environments/prod/main.tf',
    'infra/main.tf',
    'infra/environments/dev.tfvars',
    'infra/environments/prod.tfvars',
    'modules/network/main.tf',
    'README.md',
  ])
    write(dir, path, '# x\n');
  await execa('git', ['init', '-q', '-b', 'main', dir]);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'base']);
  return { dir, step, base: await git(dir, ['rev-parse', 'HEAD']) };
}

function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Runs the step's script as Actions would (bash, its env, GITHUB_OUTPUT), after committing a change to `paths`. */
async function affectedBy(repo: { dir: string; step: Step; base: string }, paths: string[], event = 'push'): Promise<string[]> {
  await git(repo.dir, ['checkout', '-q', '--detach', repo.base]);
  for (const p of paths) write(repo.dir, p, `# changed ${Date.now()}\n`);
  await git(repo.dir, ['add', '-A']);
  await git(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'change']);
  const output = join(tempDir('cti-gh-out-'), 'output');
  writeFileSync(output, '');
  const env = { ...repo.step.env, EVENT: event, BASE: event === 'workflow_dispatch' ? '' : repo.base, GITHUB_OUTPUT: output, PATH: process.env.PATH ?? '' };
  const r = await execa('bash', ['-e', '-c', repo.step.run], { cwd: repo.dir, env, reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  const line = readFileSync(output, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('targets='))!;
  return (JSON.parse(line.slice('targets='.length)) as { id: string }[]).map((t) => t.id);
}

describe('the affected step of tofu.yml, executed', () => {
  describe('directory layout', () => {
    let repo: Awaited<ReturnType<typeof repoOf>>;
    beforeAll(async () => {
      repo = await repoOf({ layout: 'directory', envs: 'dev,prod' });
    });

    it('plans only the environment whose root changed', async () => {
      expect(await affectedBy(repo, ['environments/dev/main.tf'])).toEqual(['environments-dev']);
    });
    it('plans every environment when a module changes', async () => {
      expect(await affectedBy(repo, ['modules/network/main.tf'])).toEqual(['environments-dev', 'environments-prod']);
    });
    it('plans nothing for a README change', async () => {
      expect(await affectedBy(repo, ['README.md'])).toEqual([]);
    });
    it('plans everything when the workflows change or on a manual run', async () => {
      expect(await affectedBy(repo, ['.github/workflows/tofu.yml'])).toEqual(['environments-dev', 'environments-prod']);
      expect(await affectedBy(repo, ['README.md'], 'workflow_dispatch')).toEqual(['environments-dev', 'environments-prod']);
    });
  });

  describe('workspace layout', () => {
    let repo: Awaited<ReturnType<typeof repoOf>>;
    beforeAll(async () => {
      repo = await repoOf({ layout: 'workspace', envs: 'dev,prod' });
    });

    it("plans one environment for its own tfvars, all of them for the root's code", async () => {
      expect(await affectedBy(repo, ['infra/environments/prod.tfvars'])).toEqual(['infra-prod']);
      expect(await affectedBy(repo, ['infra/main.tf'])).toEqual(['infra-dev', 'infra-prod']);
    });
  });
});
