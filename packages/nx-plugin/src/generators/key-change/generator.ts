import type { GeneratorCallback, Tree } from '@nx/devkit';
import {
  BOOTSTRAP_ENVIRONMENTS_FILE,
  bootstrapEnvironment,
  isEncryptionFile,
  KEY_PROVIDERS,
  keyProviderOf,
  withKeyChange,
  type EncryptionTransition,
  type Spec,
} from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { formatWithTofu, hclDirectories } from '../../repo/format.js';
import { isObject, mergeIntoJsonFile, nest, readJson, valueAt, writeIfChanged } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { updateGeneratedSections } from '../../repo/machine-owned.js';
import { addedPaths, render, renderWith } from '../../repo/render.js';
import { readRepository, writeManifest, type Repository } from '../../repo/repository.js';
import type { KeyChangeSchema } from './schema.js';

interface Plan {
  repo: Repository;
  after: Spec;
  /** The change in progress after this step (rendered into encryption.tf, recorded in the manifest); none once finished. */
  transition: EncryptionTransition | undefined;
}

/** Key providers that encrypt: what rotate --to accepts. */
const ENCRYPTING = KEY_PROVIDERS.filter((k) => keyProviderOf(k).type !== undefined);

/** Checks the step against the manifest before anything is written. */
function normalizeOptions(tree: Tree, schema: KeyChangeSchema): Plan {
  const repo = readRepository(tree);
  const current = repo.manifest.keyChange;
  const provider = repo.spec.keyProvider;
  if (schema.step === 'finish') {
    if (!current) throw new GeneratorError(['No key change is in progress (tofu-infra.json has no "keyChange"): there is nothing to finish.']);
    return { repo, after: repo.spec, transition: undefined };
  }
  if (current) throw new GeneratorError([`A key change (${current.kind}) is already in progress: apply every root, then run npx nx g key-change finish.`]);
  if (schema.step === 'migrate') {
    if (keyProviderOf(provider).type === undefined)
      throw new GeneratorError(['This repository has --key-provider none: rotate to a key provider instead (npx nx g key-change rotate --to aws_kms).']);
    return { repo, after: repo.spec, transition: { kind: 'migrate' } };
  }
  const to = schema.to;
  if (!to) throw new GeneratorError([`rotate needs --to: the new key provider (${ENCRYPTING.slice(0, -1).join(', ')} or ${ENCRYPTING.at(-1)}).`]);
  if (!(ENCRYPTING as string[]).includes(to))
    throw new GeneratorError([`--to "${to}" is not a key provider that encrypts. Valid values: ${ENCRYPTING.join(', ')}.`]);
  if (to === provider)
    throw new GeneratorError([`The repository already uses ${to}. Rotation moves from one key provider type to another (--to must differ from ${provider}).`]);
  const after: Spec = { ...repo.spec, keyProvider: to };
  // From no encryption at all, "rotating" is the plaintext migration with the new provider.
  const transition: EncryptionTransition = keyProviderOf(provider).type === undefined ? { kind: 'migrate' } : { kind: 'rotate', from: provider };
  return { repo, after, transition };
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
    if ((isEncryptionFile(path) || isNew) && writeIfChanged(tree, path, content)) written.push(path);
  }
  for (const path of addedPaths(after, before).filter((p) => isEncryptionFile(p) && tree.exists(p))) {
    tree.delete(path);
    written.push(path);
  }
  const bootstrap = addBootstrapKeys(tree, plan);
  written.push(...bootstrap);
  written.push(...updateGeneratedSections(tree, after));
  written.push(...writeManifest(tree, withKeyChange(plan.repo.manifest, plan.after.keyProvider, plan.transition)));
  if (written.length === 0) log.info('Nothing to change.');
  printNextSteps(schema, plan, bootstrap.length > 0);
  return formatWithTofu(tree.root, hclDirectories(written));
}

/**
 * A new key provider whose keys the bootstrap stack creates (aws_kms): each environment's entry of
 * bootstrap/environments.auto.tfvars.json gains what it needs (kms_alias), so that bootstrap creates
 * the keys and grants them to the CI policies. Nothing is removed: the old key reads the fallback.
 */
function addBootstrapKeys(tree: Tree, plan: Plan): string[] {
  if (plan.after.keyProvider === plan.repo.spec.keyProvider || !tree.exists(BOOTSTRAP_ENVIRONMENTS_FILE)) return [];
  const environments = valueAt(readJson(tree, BOOTSTRAP_ENVIRONMENTS_FILE), ['environments']);
  const changed = Object.keys(isObject(environments) ? environments : {}).filter((env) =>
    mergeIntoJsonFile(tree, BOOTSTRAP_ENVIRONMENTS_FILE, nest(['environments', env], bootstrapEnvironment(plan.after, env))),
  );
  return changed.length ? [BOOTSTRAP_ENVIRONMENTS_FILE] : [];
}

function printNextSteps(schema: KeyChangeSchema, plan: Plan, bootstrapChanged = false): void {
  const roots = plan.repo.roots.filter((r) => r.kind !== 'bootstrap').map((r) => r.path);
  if (schema.step === 'finish') {
    log.info(
      `The fallback is gone and enforcement is back on. Check that every root still reads its state: ${roots.map((r) => `(cd ${r} && tofu plan)`).join(' ; ')}`,
    );
    return;
  }
  log.info(
    [
      ...(bootstrapChanged
        ? [`${BOOTSTRAP_ENVIRONMENTS_FILE} now asks for the new keys: apply bootstrap first, as an admin (cd bootstrap && tofu apply).`]
        : []),
      `Encryption of ${roots.length} root(s) now reads through a fallback. In each root, rewrite the state with the new key:`,
      ...roots.map(
        (r) =>
          `  (cd ${r} && tofu init -reconfigure && tofu apply -refresh-only)${plan.repo.roots.some((root) => root.kind === 'workspace') ? '   # once per environment, with TF_WORKSPACE=<env>' : ''}`,
      ),
      'Then check that the state object is an encrypted envelope, and remove the fallback: npx nx g key-change finish',
    ].join('\n'),
  );
}
