// nx g add-environment on an Nx Tree holding a freshly scaffolded repository, for every layout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addEnvironmentGenerator, removeEnvironmentGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { changedSince, changesOf, filesOf, LAYOUTS, readJson, treeWithRepository } from '../harness/nx-tree.js';

let said: string[];
beforeEach(() => {
  said = [];
  vi.spyOn(log, 'info').mockImplementation((text) => void said.push(text));
});
afterEach(() => vi.restoreAllMocks());

const newRoots = {
  directory: ['environments/qa'],
  workspace: [],
  hybrid: ['services/app/envs/qa'],
} as const;

/** A file's text with every generated section's body left out: what the user owns. */
function outsideSections(text: string): string {
  return text.replace(/(create-tofu-infra:begin (\S+).*\n)[\s\S]*?(\n.*create-tofu-infra:end \2)/g, '$1$3');
}

describe.each(LAYOUTS)('add-environment, %s layout', (layout) => {
  it('writes these contents, and leaves every other file as it was', async () => {
    const { tree } = treeWithRepository({ layout });
    const before = filesOf(tree);
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const { 'README.md': readme, ...changed } = changedSince(tree, before);
    expect(readme).toBeDefined();
    expect(changed).toMatchSnapshot();
  });

  it("re-renders only README.md's generated sections: the environment list updates, a user's notes outside them survive", async () => {
    const { tree } = treeWithRepository({ layout });
    const generated = tree.read('README.md', 'utf-8')!;
    const note = '\n## Our runbook\n\nPage the on-call before applying prod.\n';
    const edited = generated.replace('## Daily commands', `${note}\n## Daily commands`) + note;
    tree.write('README.md', edited);
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const after = tree.read('README.md', 'utf-8')!;
    expect(after).toContain('environments: dev, staging, prod, qa;');
    expect(after.split(note).length).toBe(3);
    expect(outsideSections(after)).toBe(outsideSections(edited));
    expect(generated).toContain('environments: dev, staging, prod;');
  });

  it('adds the roots, bootstrap entry, CI jobs and manifest entry', async () => {
    const { tree } = treeWithRepository({ layout });
    const callback = await addEnvironmentGenerator(tree, { name: 'qa' });
    expect(typeof callback).toBe('function');

    const manifest = readJson(tree, 'tofu-infra.json');
    expect(manifest.spec.envs).toEqual(['dev', 'staging', 'prod', 'qa']);
    expect(manifest.roots).toEqual(expect.arrayContaining([...newRoots[layout]]));
    expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments.qa).toEqual({
      bucket: layout === 'workspace' ? 'acme-tofu-state' : 'acme-tofu-state-qa',
      ...(layout === 'workspace' ? { state_prefix: 'env:/qa/' } : {}),
      kms_alias: 'alias/opentofu-state-acme-qa',
      ci_policy: 'acme-tofu-ci-qa',
      // A hybrid environment's CI reads shared/ (terraform_remote_state), so its policy must too.
      ...(layout === 'hybrid' ? { reads: ['shared'] } : {}),
    });
    expect(tree.read('.gitlab-ci.yml', 'utf-8')).toMatch(/TOFU_ENV: \[[^\]]*"qa"\]/);

    for (const root of newRoots[layout]) {
      expect(tree.read(`${root}/backend.tf`, 'utf-8')).toContain('"acme-tofu-state-qa"');
      expect(tree.read(`${root}/encryption.tf`, 'utf-8')).toContain('alias/opentofu-state-acme-qa');
      expect(tree.read(`${root}/terraform.tfvars`, 'utf-8')).toMatch(/environment = "qa"/);
      expect(tree.read('.github/workflows/tofu.yml', 'utf-8')).toContain(root);
    }
    if (layout === 'workspace') {
      expect(tree.read('infra/environments/qa.tfvars', 'utf-8')).toContain('Values of the qa environment');
      expect(readJson(tree, 'infra/regions.auto.tfvars.json').environments.qa.primary_region).toBe('eu-west-1');
    }
    expect(said.join('\n')).toContain('Environment "qa"');
  });

  it('writes these files', async () => {
    const { tree } = treeWithRepository({ layout });
    const before = new Set(changesOf(tree));
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const written = changesOf(tree)
      .filter((c) => !before.has(c))
      .map((c) => c.split('\n')[0]!.replace(/^\w+ /, ''));
    expect(written).toMatchSnapshot();
  });

  it('--from copies the source root, with its own backend, key and tfvars', async () => {
    const { tree } = treeWithRepository({ layout, regions: 'eu-west-1,eu-central-1' });
    const source = layout === 'directory' ? 'environments/staging' : layout === 'hybrid' ? 'services/app/envs/staging' : undefined;
    if (source) {
      tree.write(`${source}/extra.tf`, '# staging only\n');
      tree.write(`${source}/.terraform/modules/modules.json`, '{}');
      tree.write(`${source}/.terraform.lock.hcl`, '# lock\n');
      const regions = readJson(tree, `${source}/regions.auto.tfvars.json`);
      regions.regions['eu-central-1'].enabled = false;
      tree.write(`${source}/regions.auto.tfvars.json`, `${JSON.stringify(regions, null, 2)}\n`);
    } else {
      const regions = readJson(tree, 'infra/regions.auto.tfvars.json');
      regions.environments.staging.regions['eu-central-1'].enabled = false;
      tree.write('infra/regions.auto.tfvars.json', `${JSON.stringify(regions, null, 2)}\n`);
    }

    await addEnvironmentGenerator(tree, { name: 'qa', from: 'staging' });

    for (const root of newRoots[layout]) {
      expect(tree.read(`${root}/extra.tf`, 'utf-8')).toBe('# staging only\n');
      expect(tree.exists(`${root}/.terraform`)).toBe(false);
      expect(tree.exists(`${root}/.terraform.lock.hcl`)).toBe(false);
      expect(tree.read(`${root}/backend.tf`, 'utf-8')).toContain('"acme-tofu-state-qa"');
      expect(tree.read(`${root}/backend.tf`, 'utf-8')).not.toContain('staging');
      expect(tree.read(`${root}/encryption.tf`, 'utf-8')).not.toContain('staging');
      expect(tree.read(`${root}/terraform.tfvars`, 'utf-8')).toMatch(/environment = "qa"/);
      expect(readJson(tree, `${root}/regions.auto.tfvars.json`).regions['eu-central-1'].enabled).toBe(false);
    }
    if (layout === 'workspace') {
      expect(readJson(tree, 'infra/regions.auto.tfvars.json').environments.qa.regions['eu-central-1'].enabled).toBe(false);
      expect(tree.read('infra/environments/qa.tfvars', 'utf-8')).toContain('Values of the qa environment');
    }
    expect(readJson(tree, 'tofu-infra.json').spec.envs).toContain('qa');
  });

  it('keeps user edits of machine-owned JSON and adds only the new keys', async () => {
    const { tree } = treeWithRepository({ layout });
    const bootstrap = readJson(tree, 'bootstrap/environments.auto.tfvars.json');
    bootstrap.environments.dev.ci_policy = 'hand-edited';
    tree.write('bootstrap/environments.auto.tfvars.json', JSON.stringify(bootstrap));
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const after = readJson(tree, 'bootstrap/environments.auto.tfvars.json');
    expect(after.environments.dev.ci_policy).toBe('hand-edited');
    expect(Object.keys(after.environments).at(-1)).toBe('qa');
  });

  it('refuses an environment that exists, and the second run changes nothing', async () => {
    const { tree } = treeWithRepository({ layout });
    await addEnvironmentGenerator(tree, { name: 'qa' });
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, { name: 'qa' })).rejects.toThrow(/Environment "qa" already exists[\s\S]*Nothing was changed/);
    expect(changesOf(tree)).toEqual(before);
  });

  it.each([
    [{ name: 'QA' }, /uppercase letters\. Use lowercase letters, digits and single hyphens/],
    [{ name: 'q a' }, /contains a space/],
    [{ name: '../qa' }, /path separator/],
    [{ name: 'qa--1' }, /is not valid/],
    [{ name: '' }, /name is empty/],
    [{ name: 'qa', from: 'uat' }, /--from "uat" is not an environment of this repository\. Environments: dev, staging, prod/],
    [{ name: 'qa', from: '' }, /--from is empty\. Name the environment to copy \(--from dev\), or leave --from out/],
    [{ name: 'an-environment-name-long-enough-x' }, /longer than 32 characters/],
  ])('refuses %o and leaves the tree unchanged', async (schema, message) => {
    const { tree } = treeWithRepository({ layout, name: 'acme-platform-team-x' });
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(message);
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(before);
  });
});

describe('add-environment refusals that depend on the repository', () => {
  it('refuses "default" in the workspace layout and "shared" in the hybrid layout', async () => {
    for (const [layout, name] of [
      ['workspace', 'default'],
      ['hybrid', 'shared'],
    ] as const) {
      const { tree } = treeWithRepository({ layout });
      const before = changesOf(tree);
      await expect(addEnvironmentGenerator(tree, { name })).rejects.toThrow(new RegExp(`"${name}"`));
      expect(changesOf(tree)).toEqual(before);
    }
  });

  it('refuses a name whose state bucket name would be too long, as the CLI would', async () => {
    const { tree } = treeWithRepository({ name: 'acme-platform-team-x' });
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, { name: 'a-very-long-environment-name-xyz' })).rejects.toThrow(
      /Cannot add environment "a-very-long-environment-name-xyz": bucket name "acme-platform-team-x-tofu-state-a-very-long-environment-name-xyz" must be 3 to 63 characters long/,
    );
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses a workspace without a manifest', async () => {
    const { tree } = treeWithRepository();
    tree.delete('tofu-infra.json');
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, { name: 'qa' })).rejects.toThrow(
      /No tofu-infra.json .* not a repository made by create-tofu-infra[\s\S]*Nothing was changed/,
    );
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses a layout it does not know', async () => {
    const { tree } = treeWithRepository();
    const manifest = readJson(tree, 'tofu-infra.json');
    manifest.spec.layout = 'monorepo';
    tree.write('tofu-infra.json', JSON.stringify(manifest));
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, { name: 'qa' })).rejects.toThrow(
      /layout "monorepo", which this plugin does not know\. Known layouts: workspace, directory, hybrid/,
    );
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses to overwrite files of an environment the manifest does not list', async () => {
    const { tree } = treeWithRepository();
    tree.write('environments/qa/main.tf', '# mine\n');
    const before = changesOf(tree);
    await expect(addEnvironmentGenerator(tree, { name: 'qa' })).rejects.toThrow(/already exist.*environments\/qa\/main\.tf/);
    expect(changesOf(tree)).toEqual(before);
  });
});

// --accounts: a new environment needs its account, recorded where every later run reads it.
describe('add-environment in a repository with --accounts', () => {
  const withAccounts = () => treeWithRepository({ layout: 'directory', envs: 'dev,prod', accounts: 'dev=111111111111,prod=222222222222' }).tree;

  it('records the account and renders the root in it: provider, backend, key and bootstrap entry', async () => {
    const tree = withAccounts();
    await addEnvironmentGenerator(tree, { name: 'qa', account: '333333333333' });
    expect(readJson(tree, 'tofu-infra.json').spec.accounts).toEqual({ dev: '111111111111', prod: '222222222222', qa: '333333333333' });
    expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments.qa.account_id).toBe('333333333333');
    expect(tree.read('environments/qa/providers.tf', 'utf-8')).toContain('allowed_account_ids = ["333333333333"]');
    expect(tree.read('environments/qa/backend.tf', 'utf-8')).toContain('arn:aws:iam::333333333333:role/');
    expect(tree.read('environments/qa/encryption.tf', 'utf-8')).toContain('arn:aws:iam::333333333333:role/');
  });

  it.each([
    [
      'without --account',
      { name: 'qa' },
      /keeps each environment in its own AWS account .*dev=111111111111, prod=222222222222.*--account \(e\.g\. nx g add-environment qa --account 333333333333\)/,
    ],
    ['with a malformed --account', { name: 'qa', account: '3333' }, /--account "3333" is not an AWS account id \(12 digits/],
  ])('refuses to add an environment %s, changing nothing', async (_case, schema, message) => {
    const tree = withAccounts();
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(message);
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(changesOf(withAccounts()));
  });

  // prod dropped (remove-environment --drop): bootstrap keeps its account as retired until applied.
  const withProdRetired = async () => {
    const tree = withAccounts();
    await removeEnvironmentGenerator(tree, { name: 'prod', production: true });
    await removeEnvironmentGenerator(tree, { name: 'prod', drop: true, production: true });
    expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json').retired_accounts).toEqual({ prod: '222222222222' });
    return tree;
  };

  it('adds a retired environment back in its account: its entry returns and it leaves retired_accounts', async () => {
    const tree = await withProdRetired();
    await addEnvironmentGenerator(tree, { name: 'prod', account: '222222222222' });
    const bootstrap = readJson(tree, 'bootstrap/environments.auto.tfvars.json');
    expect(bootstrap.environments.prod.account_id).toBe('222222222222');
    expect(bootstrap.retired_accounts).toEqual({});
    expect(readJson(tree, 'tofu-infra.json').spec.accounts).toEqual({ dev: '111111111111', prod: '222222222222' });
  });

  it('refuses a retired environment back in another account, changing nothing', async () => {
    const tree = await withProdRetired();
    const before = changesOf(tree);
    const schema = { name: 'prod', account: '444444444444' };
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(
      /"prod" was dropped from account 222222222222 and bootstrap may still hold .*\(--account 222222222222\), or first apply bootstrap\/ and remove "prod" from "retired_accounts"/,
    );
    await expect(addEnvironmentGenerator(tree, schema)).rejects.toThrow(/Nothing was changed\.$/);
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses --account in a repository without --accounts', async () => {
    const { tree } = treeWithRepository({ layout: 'directory' });
    await expect(addEnvironmentGenerator(tree, { name: 'qa', account: '333333333333' })).rejects.toThrow(
      /--account only applies to a repository made with --accounts/,
    );
  });
});
