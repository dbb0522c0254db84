import type { Tree } from '@nx/devkit';
import { BOOTSTRAP_ENVIRONMENTS_FILE, bootstrapEnvironment, REGIONS_FILE, RETIRED_ACCOUNTS_KEY, withEnvironment } from '../../core.js';
import { mergeIntoJsonFile, nest, readJson, removeFromJsonFile, valueAt, type Json } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { writeManifest } from '../../repo/repository.js';
import type { NormalizedAddEnvironment } from './schema.js';

/** Adds `environments.<env>` from the rendering to a machine-owned JSON file; other entries stay as they are. */
function addEnvironmentEntry(tree: Tree, o: NormalizedAddEnvironment, file: string, value?: Json): string[] {
  const rendered = o.after.get(file);
  if (rendered === undefined) return [];
  if (!tree.exists(file)) {
    log.info(`Notice: ${file} is missing, so "${o.env}" was not added to it.`);
    return [];
  }
  const entry = value ?? valueAt(JSON.parse(rendered) as Json, ['environments', o.env]);
  if (entry === undefined) return [];
  return mergeIntoJsonFile(tree, file, nest(['environments', o.env], entry)) ? [file] : [];
}

/**
 * The bootstrap stack creates the environment's state bucket, key, lock table and CI policy. An
 * environment added back while retired (dropped, its objects perhaps not yet destroyed) leaves
 * "retired_accounts": its entry takes over the same account, so bootstrap keeps what is there.
 */
export function updateBootstrap(tree: Tree, o: NormalizedAddEnvironment): string[] {
  const unretired = removeFromJsonFile(tree, BOOTSTRAP_ENVIRONMENTS_FILE, [RETIRED_ACCOUNTS_KEY, o.env]) ? [BOOTSTRAP_ENVIRONMENTS_FILE] : [];
  const added = addEnvironmentEntry(tree, o, BOOTSTRAP_ENVIRONMENTS_FILE, bootstrapEnvironment(o.spec, o.env));
  return [...new Set([...unretired, ...added])];
}

/** Workspace layout: the environment's regions in infra/regions.auto.tfvars.json (copied with --from). */
export function updateWorkspaceRegions(tree: Tree, o: NormalizedAddEnvironment): string[] {
  const workspaceRoot = o.repo.roots.find((r) => r.kind === 'workspace');
  if (!workspaceRoot) return [];
  const file = `${workspaceRoot.path}/${REGIONS_FILE}`;
  const copied = o.from !== undefined && tree.exists(file) ? valueAt(readJson(tree, file), ['environments', o.from]) : undefined;
  return addEnvironmentEntry(tree, o, file, copied);
}

/** The manifest lists the environment and its roots, for the next generator. */
export function updateManifest(tree: Tree, o: NormalizedAddEnvironment): string[] {
  return writeManifest(
    tree,
    withEnvironment(
      o.repo.manifest,
      o.env,
      o.newRoots.map((r) => r.path),
      o.account,
    ),
  );
}
