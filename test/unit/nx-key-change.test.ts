import { describe, expect, it, vi } from 'vitest';
import { keyChangeGenerator } from '../../packages/nx-plugin/src/generators.js';
import { log } from '../../packages/nx-plugin/src/repo/log.js';
import { changesOf, LAYOUTS, readJson, treeWithRepository } from '../harness/nx-tree.js';

vi.spyOn(log, 'info').mockImplementation(() => {});

const encryptionFiles = (tree: ReturnType<typeof treeWithRepository>['tree']) =>
  tree
    .listChanges()
    .map((c) => c.path)
    .filter((p) => p.endsWith('encryption.tf'))
    .sort();

describe.each(LAYOUTS)('nx g key-change, %s layout', (layout) => {
  it('migrate adds an unencrypted fallback to every root, without enforcement, and records it', async () => {
    const { tree } = treeWithRepository({ layout, envs: 'dev,prod' });
    const before = changesOf(tree);
    await keyChangeGenerator(tree, { step: 'migrate' });
    expect(changesOf(tree)).not.toEqual(before);
    const file = tree.read(
      layout === 'workspace' ? 'infra/encryption.tf' : layout === 'directory' ? 'environments/dev/encryption.tf' : 'services/app/envs/dev/encryption.tf',
      'utf-8',
    )!;
    expect(file).toContain('method "unencrypted" "migration" {}');
    expect(file).toContain('method = method.unencrypted.migration');
    expect(file).not.toMatch(/^\s+enforced\s*=/m);
    expect(readJson(tree, 'tofu-infra.json').keyChange).toEqual({ kind: 'migrate' });
  });

  it('rotate --to aws_kms from pbkdf2 keeps the passphrase key as the fallback, then finish removes it', async () => {
    const { tree } = treeWithRepository({ layout, envs: 'dev', keyProvider: 'pbkdf2', backend: 'local' });
    expect(tree.exists('bootstrap/main.tf')).toBe(false);
    await keyChangeGenerator(tree, { step: 'rotate', to: 'aws_kms' });
    const path = encryptionFiles(tree)[0]!;
    const rotating = tree.read(path, 'utf-8')!;
    expect(rotating).toMatch(/key_provider "aws_kms"/);
    expect(rotating).toMatch(/key_provider "pbkdf2"/);
    expect(rotating).toMatch(/fallback \{\s+method = method\.aes_gcm\.\w+_previous/);
    expect(rotating).toContain('enforced = true');
    expect(readJson(tree, 'tofu-infra.json')).toMatchObject({ spec: { keyProvider: 'aws_kms' }, keyChange: { kind: 'rotate', from: 'pbkdf2' } });
    // The new key needs the bootstrap stack, which the local+pbkdf2 repository did not have.
    expect(tree.exists('bootstrap/main.tf')).toBe(true);

    await keyChangeGenerator(tree, { step: 'finish' });
    const done = tree.read(path, 'utf-8')!;
    expect(done).not.toContain('pbkdf2');
    expect(done).not.toContain('fallback');
    expect(readJson(tree, 'tofu-infra.json').keyChange).toBeUndefined();
  });

  it("rotate --to aws_kms on the s3 backend asks bootstrap for every environment's key, keeping what was there", async () => {
    const { tree } = treeWithRepository({ layout, envs: 'dev,prod', keyProvider: 'pbkdf2', backend: 's3' });
    const before = readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments as Record<string, Record<string, unknown>>;
    expect(Object.values(before).some((e) => 'kms_alias' in e)).toBe(false);
    await keyChangeGenerator(tree, { step: 'rotate', to: 'aws_kms' });
    const after = readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments as Record<string, Record<string, unknown>>;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [env, entry] of Object.entries(after)) {
      expect(entry).toMatchObject(before[env]!);
      expect(entry.kms_alias).toMatch(new RegExp(`^alias/.*${env}$`));
    }
    // Back to pbkdf2: the keys stay (the fallback reads the state with them until finish).
    await keyChangeGenerator(tree, { step: 'finish' });
    await keyChangeGenerator(tree, { step: 'rotate', to: 'pbkdf2' });
    expect(readJson(tree, 'bootstrap/environments.auto.tfvars.json').environments).toEqual(after);
  });

  it.each([
    [{ step: 'finish' as const }, /No key change is in progress/],
    [{ step: 'rotate' as const }, /rotate needs --to/],
    [{ step: 'rotate' as const, to: 'aws_kms' as const }, /already uses aws_kms/],
  ])('refuses %o and leaves the tree unchanged', async (schema, message) => {
    const { tree } = treeWithRepository({ layout });
    const before = changesOf(tree);
    await expect(keyChangeGenerator(tree, schema)).rejects.toThrow(message);
    expect(changesOf(tree)).toEqual(before);
  });

  it('refuses a second migrate while one is in progress', async () => {
    const { tree } = treeWithRepository({ layout });
    await keyChangeGenerator(tree, { step: 'migrate' });
    const before = changesOf(tree);
    await expect(keyChangeGenerator(tree, { step: 'migrate' })).rejects.toThrow(/already in progress/);
    expect(changesOf(tree)).toEqual(before);
  });
});
