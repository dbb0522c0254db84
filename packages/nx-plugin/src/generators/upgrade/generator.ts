import { resolve } from 'node:path';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { bundledPluginTarball, changesOf, loadTemplates, MANIFEST_FILE, prepareUpgrade, reinitAdvice, UsageError, VERSION, type FilePlan } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { formatWithTofu, hclDirectories } from '../../repo/format.js';
import { log } from '../../repo/log.js';
import type { UpgradeSchema } from './schema.js';

/**
 * nx g @create-tofu-infra/nx:upgrade: the same core as `npx create-tofu-infra upgrade` (the plan
 * of every file from the base, the new rendering and the Tree), written to the Tree; the manifest
 * records the new version only when no file conflicts.
 */
export async function upgradeGenerator(tree: Tree, schema: UpgradeSchema): Promise<GeneratorCallback> {
  const prepared = prepare(tree, schema);
  if (prepared.upToDate) {
    log.info(`Up to date with create-tofu-infra ${VERSION}: nothing to do.`);
    return () => undefined;
  }
  const changes = changesOf(prepared.plan);
  for (const change of changes) writeChange(tree, change);
  for (const file of prepared.binaries) tree.write(file.path, Buffer.from(file.content));
  const conflicts = changes.filter((c) => c.action === 'conflict');
  for (const f of prepared.plan.filter((p) => p.action !== 'current')) log.info(`  ${f.action.padEnd(8)} ${f.path}${f.reason ? `  (${f.reason})` : ''}`);
  if (prepared.reinit.length > 0) log.info(reinitAdvice(prepared.reinit));
  if (conflicts.length > 0) {
    log.info(
      `Conflicts in ${conflicts.map((c) => c.path).join(', ')}: resolve the <<<<<<< yours markers (or .rej files), then run npx create-tofu-infra upgrade --continue to record ${VERSION}.`,
    );
  } else {
    tree.write(MANIFEST_FILE, prepared.manifestText);
    log.info(`${MANIFEST_FILE} now records create-tofu-infra ${VERSION}.`);
  }
  return formatWithTofu(tree.root, hclDirectories(changes.filter((c) => c.action !== 'delete' && c.action !== 'conflict').map((c) => c.path)));
}

function prepare(tree: Tree, schema: UpgradeSchema) {
  const text = tree.read(MANIFEST_FILE, 'utf-8');
  try {
    return prepareUpgrade({
      manifestValue: text === null ? undefined : (JSON.parse(text) as unknown),
      readOurs: (path) => (tree.exists(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined),
      templates: loadTemplates(),
      version: VERSION,
      baseFrom: schema.baseFrom === undefined ? undefined : resolve(tree.root, schema.baseFrom),
      conflictStyle: schema.conflict ?? 'markers',
      pluginTarball: bundledPluginTarball(),
    });
  } catch (err) {
    if (err instanceof UsageError) throw new GeneratorError(err.problems);
    if (err instanceof SyntaxError) throw new GeneratorError([`${MANIFEST_FILE} is not valid JSON (${err.message}): fix it by hand, then upgrade.`]);
    throw err;
  }
}

function writeChange(tree: Tree, change: FilePlan): void {
  if (change.action === 'delete') tree.delete(change.path);
  else if (change.content !== undefined) tree.write(change.path, change.content);
  if (change.rejects !== undefined) tree.write(`${change.path}.rej`, change.rejects);
}
