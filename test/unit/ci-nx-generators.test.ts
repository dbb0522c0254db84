// `nx g add-environment` and `nx g add-region` keep both pipelines in step with the spec: the CI
// files after the generator are exactly what the core renders for the grown spec.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addEnvironmentGenerator, addRegionGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { ciFiles, expand, gitlabJobs, yamlOf } from '../harness/ci-pipelines.js';
import { LAYOUTS, treeWithRepository } from '../harness/nx-tree.js';

beforeEach(() => void vi.spyOn(log, 'info').mockImplementation(() => undefined));
afterEach(() => vi.restoreAllMocks());

describe.each(LAYOUTS)('%s layout', (layout) => {
  it('add-environment adds plan, apply and drift for the new environment to both pipelines', async () => {
    const { tree, spec } = treeWithRepository({ layout });
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const expected = ciFiles({ ...spec, envs: [...spec.envs, 'qa'] });
    for (const [path, content] of expected) expect(tree.read(path, 'utf-8'), path).toBe(content);

    const jobs = gitlabJobs(yamlOf(tree.read('.gitlab-ci.yml', 'utf-8')!, '.gitlab-ci.yml'));
    for (const kind of ['plan', 'apply', 'drift']) {
      const qa = jobs.filter((j) => j.job.startsWith(`${kind}:`) && j.matrix.TOFU_ENV === 'qa');
      expect(qa.length, kind).toBeGreaterThan(0);
      for (const j of qa) expect(expand(j.def.environment.name, j.matrix)).toBe('qa');
    }
    expect(tree.read('.github/workflows/tofu.yml', 'utf-8')).toContain('"environment":"qa"');
    expect(tree.read('.github/workflows/tofu-drift.yml', 'utf-8')).toContain('environment: "qa"');
  });

  it('add-region leaves the pipelines as the core renders them', async () => {
    const { tree, spec } = treeWithRepository({ layout });
    await addRegionGenerator(tree, { region: 'eu-central-1' });
    const expected = ciFiles({ ...spec, regions: [...spec.regions, { name: 'eu-central-1', vpcCidr: '10.1.0.0/16' }] });
    for (const [path, content] of expected) expect(tree.read(path, 'utf-8'), path).toBe(content);
  });
});
