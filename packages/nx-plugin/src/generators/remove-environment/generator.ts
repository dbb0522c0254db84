import type { Tree } from '@nx/devkit';
import { BOOTSTRAP_ENVIRONMENTS_FILE, bootstrapBucketAddresses, isProduction, projectNameOf, RETIRED_ACCOUNTS_KEY, withoutEnvironment } from '../../core.js';
import { mergeIntoJsonFile, removeFromJsonFile } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { updateCiFiles, updateGeneratedSections } from '../../repo/machine-owned.js';
import { readSettings, writeSettings, type RegionsMap } from '../../repo/regions.js';
import { removedPaths } from '../../repo/render.js';
import { writeManifest } from '../../repo/repository.js';
import { normalizeOptions } from './normalize-options.js';
import type { NormalizedRemoveEnvironment, RemoveEnvironmentSchema } from './schema.js';

/**
 * nx g remove-environment <name> [--drop]: the safe two-step removal, like remove-region. Step 1
 * disables every region of the environment, so the next apply destroys its resources while its
 * providers, state and key still exist; step 2 (--drop, after that apply) removes its roots, its
 * bootstrap entry, CI jobs and manifest entry. With --accounts, bootstrap keeps the environment's
 * account as a retired account, so its next apply can still reach what it created there.
 */
export async function removeEnvironmentGenerator(tree: Tree, schema: RemoveEnvironmentSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);
  if (options.drop) {
    const written = [
      ...dropRoots(tree, options),
      ...dropEntries(tree, options),
      ...retireAccount(tree, options),
      ...updateCiFiles(tree, options.before, options.after),
      ...updateGeneratedSections(tree, options.after),
      ...writeManifest(
        tree,
        withoutEnvironment(
          options.repo.manifest,
          options.env,
          options.roots.map((r) => r.path),
        ),
      ),
    ];
    printDropped(options, written);
  } else {
    printDisabled(options, disableRegions(tree, options));
  }
}

/** Step 1: "enabled": false for every region of the environment; returns the maps that changed. */
function disableRegions(tree: Tree, o: NormalizedRemoveEnvironment): RegionsMap[] {
  return o.maps.filter((map) => {
    const settings = readSettings(tree, map);
    const regions = Object.fromEntries(Object.entries(settings.regions).map(([name, region]) => [name, { ...region, enabled: false }]));
    return writeSettings(tree, map, { ...settings, regions });
  });
}

/** Step 2: the environment's roots and every other file only it had (the workspace layout's tfvars). */
function dropRoots(tree: Tree, o: NormalizedRemoveEnvironment): string[] {
  const inRoot = (path: string) => o.roots.some((root) => path.startsWith(`${root.path}/`));
  const files = removedPaths(o.before, o.after).filter((path) => !inRoot(path) && tree.exists(path));
  for (const path of [...o.roots.map((r) => r.path), ...files]) tree.delete(path);
  return [...o.roots.map((r) => `${r.path}/`), ...files];
}

/** Step 2: its entries in machine-owned JSON: the workspace layout's regions, the bootstrap stack's environments. */
function dropEntries(tree: Tree, o: NormalizedRemoveEnvironment): string[] {
  const files = [...new Set(o.maps.filter((m) => m.at.length > 0).map((m) => m.file))];
  const workspace = files.filter((file) => removeFromJsonFile(tree, file, ['environments', o.env]));
  const bootstrap = removeFromJsonFile(tree, BOOTSTRAP_ENVIRONMENTS_FILE, ['environments', o.env]) ? [BOOTSTRAP_ENVIRONMENTS_FILE] : [];
  return [...workspace, ...bootstrap];
}

/**
 * Step 2 with --accounts: the entry removed above also took bootstrap's provider instance for the
 * environment's account, while bootstrap's state still holds its key, roles and bucket there
 * ("Provider instance not present"); var.retired_accounts keeps that instance until they are gone.
 */
function retireAccount(tree: Tree, o: NormalizedRemoveEnvironment): string[] {
  if (o.account === undefined || !tree.exists(BOOTSTRAP_ENVIRONMENTS_FILE)) return [];
  return mergeIntoJsonFile(tree, BOOTSTRAP_ENVIRONMENTS_FILE, { [RETIRED_ACCOUNTS_KEY]: { [o.env]: o.account } }) ? [BOOTSTRAP_ENVIRONMENTS_FILE] : [];
}

/** How to plan and apply a regions map's root, through the inferred targets. */
function applyCommand(map: RegionsMap): string {
  const project = projectNameOf(map.root.path);
  return map.root.kind === 'workspace'
    ? `npx nx run ${project}:plan:${map.env} && npx nx run ${project}:apply:${map.env}`
    : `npx nx run ${project}:plan && npx nx run ${project}:apply`;
}

function printDisabled(o: NormalizedRemoveEnvironment, changed: RegionsMap[]): void {
  const next = `npx nx g remove-environment ${o.env} --drop${isProduction(o.env) ? ' --production' : ''}`;
  if (changed.length === 0) {
    log.info(`Nothing to change: every region of "${o.env}" is already disabled. Once its roots are applied, finish with: ${next}`);
    return;
  }
  log.info(`Step 1 of 2: every region of "${o.env}" is now disabled ("enabled": false); its providers, state and key stay.`);
  log.info(
    [
      'Before step 2, apply each root, so its resources are destroyed while the providers can still reach them:',
      ...o.maps.map((m) => `  ${applyCommand(m)}`),
      `Then run step 2: ${next}`,
    ].join('\n'),
  );
}

function printDropped(o: NormalizedRemoveEnvironment, written: string[]): void {
  log.info(`Step 2 of 2: environment "${o.env}" removed: ${[...new Set(written)].join(', ')}.`);
  const bootstrap = written.includes(BOOTSTRAP_ENVIRONMENTS_FILE);
  const steps = [
    ...(bootstrap ? bootstrapSteps(o) : []),
    ...(o.roots.length === 0 ? [`delete its state workspace: cd infra && tofu workspace select default && tofu workspace delete ${o.env}`] : []),
  ];
  if (steps.length > 0) log.info(['Next:', ...steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n'));
}

/**
 * Keep the state bucket (prevent_destroy: bootstrap never deletes one, and refuses an apply that
 * would), apply bootstrap for the rest; with --accounts through the retired account's provider,
 * then retire the account for good.
 */
function bootstrapSteps(o: NormalizedRemoveEnvironment): string[] {
  const account = o.account;
  const where = account === undefined ? '' : ` in account ${account}`;
  const forget = o.bucket
    ? [
        `keep its state bucket: bootstrap never deletes one (prevent_destroy: an apply that would is refused), so forget it and it stays${where}, unchanged, with its state history: cd bootstrap && tofu state rm ${bootstrapBucketAddresses(
          o.bucket,
        )
          .map((address) => `'${address}'`)
          .join(' ')}`,
      ]
    : [];
  if (account === undefined) {
    return [
      ...forget,
      `apply bootstrap/ to delete the rest of what it created for "${o.env}" (key, deletion scheduled; CI policies and roles): npx nx run bootstrap:plan && npx nx run bootstrap:apply`,
    ];
  }
  return [
    ...forget,
    `apply bootstrap/ to delete the rest of what it created for "${o.env}"${where} (key, deletion scheduled; CI policies and roles), which "${RETIRED_ACCOUNTS_KEY}" in ${BOOTSTRAP_ENVIRONMENTS_FILE} keeps within reach: npx nx run bootstrap:plan && npx nx run bootstrap:apply`,
    `once that apply succeeded, remove "${o.env}" from "${RETIRED_ACCOUNTS_KEY}" in ${BOOTSTRAP_ENVIRONMENTS_FILE}: bootstrap then no longer reaches account ${account}`,
  ];
}
