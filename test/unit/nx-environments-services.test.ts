// nx g remove-environment and nx g add-service on an Nx Tree holding a scaffolded repository.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addServiceGenerator, removeEnvironmentGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { changesOf, LAYOUTS, readJson, treeWithRepository } from '../harness/nx-tree.js';

let said: string[];
beforeEach(() => {
  said = [];
  vi.spyOn(log, 'info').mockImplementation((text) => void said.push(text));
});
afterEach(() => vi.restoreAllMocks());

const stagingRoots = { directory: ['environments/staging'], workspace: [], hybrid: ['services/app/envs/staging'] } as const;

describe.each(LAYOUTS)('remove-environment, %s layout', (layout) => {
  it('step 1 disables every region of the environment; --drop then removes its roots and entries', async () => {
    const { tree } = treeWithRepository({ layout, regions: 'eu-west-1,eu-central-1', ci: 'github,gitlab' });
    await removeEnvironmentGenerator(tree, { name: 'staging' });
    expect(said.join('\n')).toContain('Step 1 of 2: every region of "staging" is now disabled');
    expect(said.join('\n')).toContain('Then run step 2: npx nx g remove-environment staging --drop');
    const file = layout === 'workspace' ? 'infra/regions.auto.tfvars.json' : `${stagingRoots[layout][0]}/regions.auto.tfvars.json`;
    const settings = layout === 'workspace' ? readJson(tree, file).environments.staging : readJson(tree, file);
    expect(Object.values<{ enabled: boolean }>(settings.regions).map((r) => r.enabled)).toEqual([false, false]);
    expect(readJson(tree, 'tofu-infra.json').spec.envs).toContain('staging');

    await removeEnvironmentGenerator(tree, { name: 'staging', drop: true });
    const manifest = readJson(tree, 'tofu-infra.json');
    expect(manifest.spec.envs).toEqual(['dev', 'prod']);
    for (const root of stagingRoots[layout]) {
      expect(tree.exists(root)).toBe(false);
      expect(manifest.roots).not.toContain(root);
    }
    if (layout === 'workspace') {
      expect(tree.exists('infra/environments/staging.tfvars')).toBe(false);
      expect(readJson(tree, file).environments).not.toHaveProperty('staging');
    } else {
      expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments).not.toHaveProperty('staging');
    }
    for (const ci of ['.gitlab-ci.yml', '.github/workflows/tofu.yml']) expect(tree.read(ci, 'utf-8')).not.toMatch(/\bstaging\b/);
    expect(tree.read('README.md', 'utf-8')).toContain('environments: dev, prod;');
  });

  it.each([
    [{ name: 'uat' }, /Environment "uat" is not in tofu-infra\.json\. Environments: dev, staging, prod/],
    [{ name: '' }, /name is empty.*name one of this repository's environments: dev, staging, prod/],
    [{ name: 'prod' }, /"prod" is a production environment.*--production/],
    [{ name: 'staging', drop: true }, /"staging" still has enabled regions in .*Run `npx nx g remove-environment staging` first/],
  ])('refuses %o and leaves the tree unchanged', async (schema, message) => {
    const { tree } = treeWithRepository({ layout });
    const before = changesOf(tree);
    await expect(removeEnvironmentGenerator(tree, schema)).rejects.toThrow(message);
    await expect(removeEnvironmentGenerator(tree, schema)).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses to remove the last environment', async () => {
    const { tree } = treeWithRepository({ layout, envs: 'dev' });
    const before = changesOf(tree);
    await expect(removeEnvironmentGenerator(tree, { name: 'dev' })).rejects.toThrow(/"dev" is the only environment: a repository needs at least one/);
    expect(changesOf(tree)).toEqual(before);
  });

  it('removes a production environment with --production, and its CODEOWNERS lines', async () => {
    const { tree } = treeWithRepository({ layout });
    const paths = (text: string) => text.split('\n').filter((line) => line.startsWith('/'));
    expect(paths(tree.read('CODEOWNERS', 'utf-8')!).some((line) => /prod/.test(line))).toBe(true);
    await removeEnvironmentGenerator(tree, { name: 'prod', production: true });
    await removeEnvironmentGenerator(tree, { name: 'prod', drop: true, production: true });
    expect(readJson(tree, 'tofu-infra.json').spec.envs).toEqual(['dev', 'staging']);
    const production = /create-tofu-infra:begin production[^\n]*\n([\s\S]*?)[^\n]*create-tofu-infra:end production/.exec(tree.read('CODEOWNERS', 'utf-8')!)!;
    expect(paths(production[1]!).filter((line) => /prod/.test(line))).toEqual([]);
  });
});

describe('add-service', () => {
  it('hybrid layout: a root per environment, CI jobs, README and manifest entry', async () => {
    const { tree } = treeWithRepository({ layout: 'hybrid', ci: 'github' });
    const callback = await addServiceGenerator(tree, { name: 'billing' });
    expect(typeof callback).toBe('function');
    const manifest = readJson(tree, 'tofu-infra.json');
    expect(manifest.spec.services).toEqual(['app', 'billing']);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(manifest.roots).toContain(`services/billing/envs/${env}`);
      expect(tree.read(`services/billing/envs/${env}/backend.tf`, 'utf-8')).toContain(`acme-tofu-state-${env}`);
    }
    expect(tree.read('.github/workflows/tofu.yml', 'utf-8')).toContain('services/billing/envs/dev');
    expect(said.join('\n')).toContain('npx nx run services-billing-envs-dev:plan');
  });

  it.each([
    ['directory', { name: 'billing' }, /add-service applies to the hybrid layout only .*this repository's layout is "directory"/],
    ['workspace', { name: 'billing' }, /add-service applies to the hybrid layout only .*layout is "workspace"/],
    ['hybrid', { name: 'app' }, /Service "app" already exists \(tofu-infra\.json lists app\)/],
    ['hybrid', { name: 'Billing' }, /uppercase letters\. Use lowercase letters/],
    ['hybrid', { name: '' }, /name is empty/],
  ] as const)('%s layout: refuses %o and leaves the tree unchanged', async (layout, schema, message) => {
    const { tree } = treeWithRepository({ layout });
    const before = changesOf(tree);
    await expect(addServiceGenerator(tree, schema)).rejects.toThrow(message);
    await expect(addServiceGenerator(tree, schema)).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(before);
  });
});

describe('remove-environment in a repository with --accounts', () => {
  const dropStaging = async () => {
    const { tree } = treeWithRepository({ layout: 'directory', accounts: 'dev=111111111111,staging=222222222222,prod=333333333333' });
    await removeEnvironmentGenerator(tree, { name: 'staging' });
    said = [];
    await removeEnvironmentGenerator(tree, { name: 'staging', drop: true });
    return tree;
  };

  it("drops the environment and its account from the manifest, and keeps the account in bootstrap's retired_accounts", async () => {
    const tree = await dropStaging();
    expect(readJson(tree, 'tofu-infra.json').spec.accounts).toEqual({ dev: '111111111111', prod: '333333333333' });
    const bootstrap = readJson(tree, 'bootstrap/environments.auto.tfvars.json');
    expect(bootstrap.environments).not.toHaveProperty('staging');
    // The key bootstrap's providers.tf merges into its per-account provider instances.
    expect(bootstrap.retired_accounts).toEqual({ staging: '222222222222' });
    expect(tree.read('bootstrap/providers.tf', 'utf-8')).toContain('merge(var.retired_accounts, ');
    expect(tree.read('bootstrap/variables.tf', 'utf-8')).toContain('variable "retired_accounts"');
  });

  it('prints the procedure: forget the bucket (prevent_destroy), apply bootstrap, then remove the retired entry', async () => {
    const tree = await dropStaging();
    const next = said.join('\n');
    expect(next).toContain('Step 2 of 2: environment "staging" removed: environments/staging/, bootstrap/environments.auto.tfvars.json');
    const forget = /1\. keep its state bucket: .*account 222222222222.*: cd bootstrap && tofu state rm (.*)/.exec(next);
    expect(forget, next).not.toBeNull();
    const addresses = [...forget![1]!.matchAll(/'([a-z0-9_]+)\.state\["acme-tofu-state-staging"\]'/g)].map((m) => m[1]);
    // Exactly the resources bootstrap creates per state bucket, as its main.tf declares them.
    const perBucket = [...tree.read('bootstrap/main.tf', 'utf-8')!.matchAll(/resource "([a-z0-9_]+)" "state" \{\n\s*for_each = local\.buckets\n/g)].map(
      (m) => m[1],
    );
    expect(perBucket).toContain('aws_s3_bucket');
    expect(addresses.sort()).toEqual(perBucket.sort());
    expect(next).toMatch(/2\. apply bootstrap\/ .*account 222222222222.*"retired_accounts".*npx nx run bootstrap:plan && npx nx run bootstrap:apply/);
    expect(next).toMatch(/3\. once that apply succeeded, remove "staging" from "retired_accounts" in bootstrap\/environments\.auto\.tfvars\.json/);
  });

  it('without --accounts prints the same first step (forget the bucket: an apply deleting it is refused by prevent_destroy), then the apply', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    await removeEnvironmentGenerator(tree, { name: 'staging' });
    said = [];
    await removeEnvironmentGenerator(tree, { name: 'staging', drop: true });
    const next = said.join('\n');
    expect(next).toMatch(/1\. keep its state bucket: .*prevent_destroy.*: cd bootstrap && tofu state rm 'aws_s3_bucket\.state\["acme-tofu-state-staging"\]'/);
    expect(next).toMatch(/2\. apply bootstrap\/ to delete the rest of what it created for "staging" .*npx nx run bootstrap:plan && npx nx run bootstrap:apply/);
    expect(next).not.toMatch(/retired_accounts|delete its state bucket/);
  });

  it('without --accounts keeps no retired account', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    await removeEnvironmentGenerator(tree, { name: 'staging' });
    await removeEnvironmentGenerator(tree, { name: 'staging', drop: true });
    expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json')).not.toHaveProperty('retired_accounts');
    expect(tree.read('bootstrap/providers.tf', 'utf-8')).not.toContain('retired_accounts');
  });
});
