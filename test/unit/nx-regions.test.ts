// nx g add-region and nx g remove-region on an Nx Tree holding a scaffolded repository, for every layout.
import type { Tree } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing.js';
import { resolveSpec } from '../../packages/create-tofu-infra/src/index.js';
import { addEnvironmentGenerator, addRegionGenerator, removeRegionGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { changedSince, changesOf, filesOf, LAYOUTS, readJson, rendered, treeWithRepository } from '../harness/nx-tree.js';

let said: string[];
beforeEach(() => {
  said = [];
  vi.spyOn(log, 'info').mockImplementation((text) => void said.push(text));
});
afterEach(() => vi.restoreAllMocks());

const regionFiles = {
  directory: ['environments/dev', 'environments/staging', 'environments/prod'].map((r) => `${r}/regions.auto.tfvars.json`),
  workspace: ['infra/regions.auto.tfvars.json'],
  hybrid: ['shared', 'services/app/envs/dev', 'services/app/envs/staging', 'services/app/envs/prod'].map((r) => `${r}/regions.auto.tfvars.json`),
} as const;

/** Every environment's regions, whatever the layout: env -> region -> {enabled, vpc_cidr}. */
function regionsByEnv(tree: Tree, layout: (typeof LAYOUTS)[number]): Record<string, Record<string, { enabled: boolean; vpc_cidr: string }>> {
  if (layout === 'workspace') {
    const file = readJson(tree, regionFiles.workspace[0]);
    return Object.fromEntries(Object.entries<any>(file.environments).map(([env, v]) => [env, v.regions]));
  }
  return Object.fromEntries(regionFiles[layout].map((f) => [f.split('/').at(-2)!, readJson(tree, f).regions]));
}

describe.each(LAYOUTS)('regions, %s layout', (layout) => {
  it('add-region adds the region, with the next free /16, to the regions files and the manifest only', async () => {
    const { tree } = treeWithRepository({ layout, regions: 'eu-west-1,eu-central-1' });
    const before = filesOf(tree);
    await addRegionGenerator(tree, { region: 'ap-southeast-2' });
    const changed = changedSince(tree, before);
    expect(Object.keys(changed)).toEqual(['README.md', ...regionFiles[layout], 'tofu-infra.json'].sort());
    expect(tree.read('README.md', 'utf-8')).toContain('regions: eu-west-1, eu-central-1, ap-southeast-2');
    expect(readJson(tree, 'tofu-infra.json').spec.regions.at(-1)).toEqual({ name: 'ap-southeast-2', vpcCidr: '10.32.0.0/16' });
    for (const regions of Object.values(regionsByEnv(tree, layout))) {
      expect(regions['ap-southeast-2']).toEqual({ enabled: true, vpc_cidr: '10.32.0.0/16' });
    }
    expect(said.join('\n')).toContain('Added ap-southeast-2 (VPC 10.32.0.0/16)');
  });

  it('add-region keeps user edits and skips CIDR blocks in use anywhere', async () => {
    const { tree } = treeWithRepository({ layout });
    const file = regionFiles[layout][0];
    const value = readJson(tree, file);
    const settings = layout === 'workspace' ? value.environments.dev : value;
    settings.regions['eu-west-1'].vpc_cidr = '10.20.0.0/16';
    settings.regions['eu-west-1'].enabled = false;
    tree.write(file, JSON.stringify(value));
    await addRegionGenerator(tree, { region: 'us-east-1' });
    const after = regionsByEnv(tree, layout);
    const edited = Object.values(after)[0]!;
    expect(edited['eu-west-1']).toEqual({ enabled: false, vpc_cidr: '10.20.0.0/16' });
    // 10.0/16 is the manifest's eu-west-1, 10.20/16 sits in the 10.16-10.31 block.
    for (const regions of Object.values(after)) expect(regions['us-east-1']).toEqual({ enabled: true, vpc_cidr: '10.32.0.0/16' });
  });

  it('add-region --env adds the region to that environment only (and the shared root)', async () => {
    const { tree } = treeWithRepository({ layout });
    await addRegionGenerator(tree, { region: 'us-east-1', env: 'prod' });
    const after = regionsByEnv(tree, layout);
    for (const [env, regions] of Object.entries(after)) {
      expect(Object.keys(regions), env).toEqual(env === 'prod' || env === 'shared' ? ['eu-west-1', 'us-east-1'] : ['eu-west-1']);
    }
    expect(readJson(tree, 'tofu-infra.json').spec.regions.map((r: { name: string }) => r.name)).toEqual(['eu-west-1']);
  });

  it('add-region twice changes nothing the second time, and says so', async () => {
    const { tree } = treeWithRepository({ layout });
    await addRegionGenerator(tree, { region: 'us-east-1' });
    const before = changesOf(tree);
    said = [];
    await addRegionGenerator(tree, { region: 'us-east-1' });
    expect(changesOf(tree)).toEqual(before);
    expect(said.join('\n')).toMatch(/^Nothing to change: us-east-1 is already configured in every root\./);
  });

  it('remove-region: disable, apply, --drop; each step twice changes nothing the second time', async () => {
    const { tree } = treeWithRepository({ layout });
    const scaffolded = filesOf(tree);
    await addRegionGenerator(tree, { region: 'us-east-1' });

    await removeRegionGenerator(tree, { region: 'us-east-1' });
    for (const regions of Object.values(regionsByEnv(tree, layout))) expect(regions['us-east-1']).toEqual({ enabled: false, vpc_cidr: '10.16.0.0/16' });
    const out = said.join('\n');
    expect(out).toContain('Step 1 of 2: us-east-1 is now disabled');
    expect(out).toMatch(
      layout === 'workspace' ? /npx nx run infra:plan:dev && npx nx run infra:apply:dev/ : /npx nx run \S+-dev:plan && npx nx run \S+-dev:apply/,
    );
    expect(out).toContain('Then run step 2: npx nx g remove-region us-east-1 --drop');

    let before = changesOf(tree);
    said = [];
    await removeRegionGenerator(tree, { region: 'us-east-1' });
    expect(changesOf(tree)).toEqual(before);
    expect(said.join('\n')).toMatch(/^Nothing to change: us-east-1 is already disabled in every root/);

    await removeRegionGenerator(tree, { region: 'us-east-1', drop: true });
    expect(changedSince(tree, scaffolded)).toEqual({});
    expect(readJson(tree, 'tofu-infra.json').spec.regions).toEqual([{ name: 'eu-west-1', vpcCidr: '10.0.0.0/16' }]);

    // A second --drop finds the region nowhere: refused like a region never added, nothing changed.
    before = changesOf(tree);
    await expect(removeRegionGenerator(tree, { region: 'us-east-1', drop: true })).rejects.toThrow(
      /Region "us-east-1" is not configured in any root or in tofu-infra\.json \(already dropped, or never added\)\. Configured regions: eu-west-1\.\nNothing was changed\.$/,
    );
    expect(changesOf(tree)).toEqual(before);
  });

  it.each([
    ['add-region', { region: 'mars-north-1x' }, /region "mars-north-1x" is not an AWS region name\. Use an AWS region name/],
    ['add-region', { region: 'us-east-1', env: 'uat' }, /--env "uat" is not an environment of this repository\. Environments: dev, staging, prod/],
    ['remove-region', { region: 'EU-WEST-1' }, /is not an AWS region name/],
    [
      'remove-region',
      { region: 'us-west-2' },
      /Region "us-west-2" is not configured in any root or in tofu-infra\.json\. Configured regions: eu-west-1, eu-central-1/,
    ],
    ['remove-region', { region: 'eu-west-1' }, /"eu-west-1" is the primary region .*cannot be removed/],
    ['remove-region', { region: 'eu-central-1', drop: true }, /"eu-central-1" is still enabled in .*Run `npx nx g remove-region eu-central-1` first/],
    [
      'remove-region',
      { region: 'us-west-2', drop: true },
      /Region "us-west-2" is not configured in any root or in tofu-infra\.json \(already dropped, or never added\)\. Configured regions: eu-west-1, eu-central-1/,
    ],
    [
      'add-region',
      { region: 'us-east-1', env: '' },
      /--env is empty\. Name one environment \(--env dev\), or leave --env out to add the region to every environment\. Environments: dev, staging, prod/,
    ],
    ['add-region', { region: 'us-east-1', env: '  ' }, /--env is empty\./],
  ] as const)('%s %o is refused and leaves the tree unchanged', async (generator, schema, message) => {
    const { tree } = treeWithRepository({ layout, regions: 'eu-west-1,eu-central-1' });
    const before = changesOf(tree);
    const run = generator === 'add-region' ? addRegionGenerator(tree, schema as { region: string }) : removeRegionGenerator(tree, schema);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses without a manifest, or with an unknown layout, leaving the tree unchanged', async () => {
    const { tree } = treeWithRepository({ layout });
    const manifest = tree.read('tofu-infra.json', 'utf-8')!;
    tree.write('tofu-infra.json', manifest.replace(`"layout": "${layout}"`, '"layout": "flat"'));
    let before = changesOf(tree);
    await expect(addRegionGenerator(tree, { region: 'us-east-1' })).rejects.toThrow(/layout "flat"/);
    await expect(removeRegionGenerator(tree, { region: 'us-east-1' })).rejects.toThrow(/layout "flat"/);
    expect(changesOf(tree)).toEqual(before);
    tree.delete('tofu-infra.json');
    before = changesOf(tree);
    await expect(addRegionGenerator(tree, { region: 'us-east-1' })).rejects.toThrow(/not a repository made by create-tofu-infra/);
    await expect(removeRegionGenerator(tree, { region: 'us-east-1' })).rejects.toThrow(/not a repository made by create-tofu-infra/);
    expect(changesOf(tree)).toEqual(before);
  });
});

describe('a region missing from the AWS region list (accepted at scaffold time with --allow-unknown-region)', () => {
  /** A repository scaffolded with a region newer than the list, written to a Tree. */
  function treeWithUnknownRegion(): Tree {
    const spec = resolveSpec({ name: 'acme', regions: 'eu-west-1,eu-west-9' }, { directoryName: 'acme', generatorVersion: '0.1.0', allowUnknownRegions: true });
    const tree = createTreeWithEmptyWorkspace();
    for (const [path, content] of rendered(spec)) tree.write(path, content);
    return tree;
  }

  it('stays accepted: add-environment grows the repository', async () => {
    const tree = treeWithUnknownRegion();
    await addEnvironmentGenerator(tree, { name: 'qa' });
    expect(readJson(tree, 'tofu-infra.json').spec.envs).toContain('qa');
  });

  it('a new one is refused by add-region, naming the override, and changes nothing', async () => {
    const tree = treeWithUnknownRegion();
    const before = changesOf(tree);
    await expect(addRegionGenerator(tree, { region: 'eu-west-8' })).rejects.toThrow(/"eu-west-8" is not in the AWS region list.*--allow-unknown-region/s);
    expect(changesOf(tree)).toEqual(before);
  });

  it('a new one is added with allowUnknownRegion', async () => {
    const tree = treeWithUnknownRegion();
    await addRegionGenerator(tree, { region: 'eu-west-8', allowUnknownRegion: true });
    expect(readJson(tree, 'tofu-infra.json').spec.regions.map((r: { name: string }) => r.name)).toEqual(['eu-west-1', 'eu-west-9', 'eu-west-8']);
  });
});
