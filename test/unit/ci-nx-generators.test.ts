// `nx g add-environment` and `nx g add-region` keep both pipelines in step with the spec: the CI
// files after add-environment hold the new environment's jobs (whole files in the snapshot), and
// add-region leaves them alone.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addEnvironmentGenerator, addRegionGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { expand, gitlabJobs, yamlOf } from '../harness/ci-pipelines.js';
import { changedSince, filesOf, LAYOUTS, treeWithRepository } from '../harness/nx-tree.js';

beforeEach(() => void vi.spyOn(log, 'info').mockImplementation(() => undefined));
afterEach(() => vi.restoreAllMocks());

describe.each(LAYOUTS)('%s layout', (layout) => {
  it('add-environment adds plan, apply and drift for the new environment to both pipelines', async () => {
    const { tree } = treeWithRepository({ layout });
    const before = filesOf(tree);
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const pipelines = Object.entries(changedSince(tree, before)).filter(([path]) => path === '.gitlab-ci.yml' || path.startsWith('.github/'));
    expect(pipelines.map(([path]) => path)).toEqual([
      '.github/workflows/tofu-drift.yml',
      // A new root (not in the workspace layout) is one more to lock.
      ...(layout === 'workspace' ? [] : ['.github/workflows/tofu-lock.yml']),
      '.github/workflows/tofu-root.yml',
      '.github/workflows/tofu.yml',
      '.gitlab-ci.yml',
    ]);
    expect(Object.fromEntries(pipelines)).toMatchSnapshot();

    const jobs = gitlabJobs(yamlOf(tree.read('.gitlab-ci.yml', 'utf-8')!, '.gitlab-ci.yml'));
    for (const kind of ['plan', 'apply', 'drift']) {
      const qa = jobs.filter((j) => j.job.startsWith(`${kind}:`) && j.matrix.TOFU_ENV === 'qa');
      expect(qa.length, kind).toBeGreaterThan(0);
      for (const j of qa) expect(expand(j.def.environment.name, j.matrix)).toBe('qa');
    }
    expect(tree.read('.github/workflows/tofu.yml', 'utf-8')).toContain('"environment":"qa"');
    expect(tree.read('.github/workflows/tofu-drift.yml', 'utf-8')).toContain('environment: "qa"');
  });

  it('add-region leaves the pipelines as they were (a secondary region changes no job)', async () => {
    const { tree } = treeWithRepository({ layout });
    const before = filesOf(tree);
    await addRegionGenerator(tree, { region: 'eu-central-1' });
    expect(Object.keys(changedSince(tree, before)).filter((path) => path === '.gitlab-ci.yml' || path.startsWith('.github/'))).toEqual([]);
  });
});
