// The generators re-render CI files through upgrade's three-way merge: a user's edit survives a
// generator run, and an edit of the very lines the generator changes is marked, never lost.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addEnvironmentGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { treeWithRepository } from '../harness/nx-tree.js';

let said: string[];
beforeEach(() => {
  said = [];
  vi.spyOn(log, 'info').mockImplementation((text) => void said.push(text));
});
afterEach(() => vi.restoreAllMocks());

const TEAM_JOB = '\nteam-job:\n  stage: validate\n  script:\n    - echo "the team\'s own job"\n';

describe('add-environment and a user-edited pipeline', () => {
  it('keeps a job the user added and still adds the new environment', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    tree.write('.gitlab-ci.yml', `${tree.read('.gitlab-ci.yml', 'utf-8')}${TEAM_JOB}`);
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const pipeline = tree.read('.gitlab-ci.yml', 'utf-8')!;
    expect(pipeline).toContain('team-job:');
    expect(pipeline).toMatch(/TOFU_ENV: \[[^\]]*"qa"\]/);
    expect(pipeline).not.toContain('<<<<<<<');
  });

  it('marks a conflict where the user edited the lines the generator changes, and says so', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    const original = tree.read('.gitlab-ci.yml', 'utf-8')!;
    const line = original.split('\n').find((l) => /TOFU_ENV: \[/.test(l))!;
    tree.write('.gitlab-ci.yml', original.replace(line, line.replace('"dev"', '"dev-edited"')));
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const pipeline = tree.read('.gitlab-ci.yml', 'utf-8')!;
    expect(pipeline).toMatch(/<<<<<<< yours\n[^\n]*"dev-edited"[\s\S]*=======\n[^\n]*"qa"[\s\S]*>>>>>>> generator/);
    expect(said.join('\n')).toMatch(/Conflict: [\s\S]*\.gitlab-ci\.yml/);
  });

  it('leaves a pipeline the user deleted deleted', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    tree.delete('.gitlab-ci.yml');
    await addEnvironmentGenerator(tree, { name: 'qa' });
    expect(tree.exists('.gitlab-ci.yml')).toBe(false);
    expect(tree.exists('environments/qa/backend.tf')).toBe(true);
  });
});
