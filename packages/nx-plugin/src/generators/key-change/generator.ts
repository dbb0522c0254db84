import type { GeneratorCallback, Tree } from '@nx/devkit';
import { MANIFEST_FILE, type EncryptionTransition, type KeyProviderKind, type Spec } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { formatWithTofu, hclDirectories } from '../../repo/format.js';
import { isObject, jsonText, readJson, writeIfChanged } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { addedPaths, render, renderWith } from '../../repo/render.js';
import { readRepository, type Repository } from '../../repo/repository.js';
import type { KeyChange, KeyChangeSchema } from './schema.js';

const ENCRYPTION_FILE = /(^|\/)encryption\.tf$/;

interface Plan {
  repo: Repository;
  after: Spec;
  transition: EncryptionTransition | undefined;
  record: KeyChange | undefined;
}

/** Checks the step against the manifest before anything is written. */
function normalizeOptions(tree: Tree, schema: KeyChangeSchema): Plan {
  const repo = readRepository(tree);
  const manifest = readJson(tree, MANIFEST_FILE);
  const current = isObject(manifest) && isObject(manifest.keyChange) ? (manifest.keyChange as unknown as KeyChange) : undefined;
  const provider = repo.spec.keyProvider;
  if (schema.step === 'finish') {
    if (!current) throw new GeneratorError(['No key change is in progress (tofu-infra.json has no "keyChange"): there is nothing to finish.']);
    return { repo, after: repo.spec, transition: undefined, record: undefined };
  }
  if (current) throw new GeneratorError([`A key change (${current.kind}) is already in progress: apply every root, then run nx g key-change finish.`]);
  if (schema.step === 'migrate') {
    if (provider === 'none') throw new GeneratorError(['This repository has --key-provider none: rotate to a key provider instead (nx g key-change rotate --to aws_kms).']);
    return { repo, after: repo.spec, transition: { kind: 'migrate' }, record: { kind: 'migrate' } };
  }
  const to = schema.to;
  if (!to) throw new GeneratorError(['rotate needs --to: the new key provider (pbkdf2, aws_kms, gcp_kms or openbao).']);
  if (to === provider) throw new GeneratorError([`The repository already uses ${to}. Rotation moves from one key provider type to another (--to must differ from ${provider}).`]);
  const after: Spec = { ...repo.spec, keyProvider: to };
  // From no encryption at all, "rotating" is the plaintext migration with the new provider.
  const transition: EncryptionTransition = provider === 'none' ? { kind: 'migrate' } : { kind: 'rotate', from: provider };
  const record: KeyChange = provider === 'none' ? { kind: 'migrate' } : { kind: 'rotate', from: provider as KeyProviderKind };
  return { repo, after, transition, record };
}

/**
 * nx g key-change migrate|rotate|finish: every root's encryption.tf rendered by the core for the
 * step, the manifest updated, new bootstrap files added when the new key provider needs them.
 */
export async function keyChangeGenerator(tree: Tree, schema: KeyChangeSchema): Promise<GeneratorCallback> {
  const plan = normalizeOptions(tree, schema);
  const before = render(plan.repo.spec);
  const after = renderWith(plan.after, { encryption: plan.transition });
  const written: string[] = [];
  for (const [path, content] of after) {
    const isNew = !before.has(path) && !tree.exists(path);
    if ((ENCRYPTION_FILE.test(path) || isNew) && writeIfChanged(tree, path, content)) written.push(path);
  }
  for (const path of addedPaths(after, before).filter((p) => ENCRYPTION_FILE.test(p) && tree.exists(p))) {
    tree.delete(path);
    written.push(path);
  }
  const manifest = readJson(tree, MANIFEST_FILE) as Record<string, unknown>;
  const { keyChange: _previous, ...rest } = manifest;
  const next = { ...rest, spec: { ...(rest.spec as object), keyProvider: plan.after.keyProvider }, ...(plan.record ? { keyChange: plan.record } : {}) };
  if (writeIfChanged(tree, MANIFEST_FILE, jsonText(next as never))) written.push(MANIFEST_FILE);
  if (written.length === 0) log.info('Nothing to change.');
  printNextSteps(schema, plan);
  return formatWithTofu(tree.root, hclDirectories(written));
}

function printNextSteps(schema: KeyChangeSchema, plan: Plan): void {
  const roots = plan.repo.roots.filter((r) => r.kind !== 'bootstrap').map((r) => r.path);
  if (schema.step === 'finish') {
    log.info(`The fallback is gone and enforcement is back on. Check that every root still reads its state: ${roots.map((r) => `(cd ${r} && tofu plan)`).join(' ; ')}`);
    return;
  }
  log.info(
    [
      `Encryption of ${roots.length} root(s) now reads through a fallback. In each root, rewrite the state with the new key:`,
      ...roots.map((r) => `  (cd ${r} && tofu init -reconfigure && tofu apply -refresh-only)${plan.repo.spec.layout === 'workspace' ? '   # once per environment, with TF_WORKSPACE=<env>' : ''}`),
      'Then check that the state object is an encrypted envelope, and remove the fallback: nx g key-change finish',
    ].join('\n'),
  );
}
