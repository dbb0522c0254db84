import type { Tree } from '@nx/devkit';
import { projectNameOf, withoutRegion } from '../../core.js';
import { log } from '../../repo/log.js';
import { updateGeneratedSections } from '../../repo/machine-owned.js';
import { readSettings, writeSettings, type RegionsMap } from '../../repo/regions.js';
import { render } from '../../repo/render.js';
import { writeManifest } from '../../repo/repository.js';
import { normalizeOptions } from './normalize-options.js';
import type { NormalizedRemoveRegion, RemoveRegionSchema } from './schema.js';

/**
 * nx g remove-region <region> [--drop]: the safe two-step removal. Step 1 disables the region,
 * so the next apply destroys its resources while its provider instance still exists; step 2
 * (--drop, after that apply) removes its entries, and the apply after that its provider instance.
 */
export async function removeRegionGenerator(tree: Tree, schema: RemoveRegionSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);
  if (options.drop) {
    const written = [...dropRegion(tree, options), ...updateManifest(tree, options), ...updateReadme(tree, options)];
    printDropped(options, written);
  } else {
    printDisabled(options, disableRegion(tree, options));
  }
}

/** Step 1: "enabled": false wherever the region is configured; returns the maps that changed. */
function disableRegion(tree: Tree, o: NormalizedRemoveRegion): RegionsMap[] {
  return o.holding.filter((map) => {
    const settings = readSettings(tree, map);
    const current = settings.regions[o.region]!;
    return writeSettings(tree, map, { ...settings, regions: { ...settings.regions, [o.region]: { ...current, enabled: false } } });
  });
}

/** Step 2: the region's entries go. */
function dropRegion(tree: Tree, o: NormalizedRemoveRegion): string[] {
  const written = o.holding.filter((map) => {
    const settings = readSettings(tree, map);
    const regions = Object.fromEntries(Object.entries(settings.regions).filter(([name]) => name !== o.region));
    return writeSettings(tree, map, { ...settings, regions });
  });
  return [...new Set(written.map((m) => m.file))];
}

/** The README's generated sections list the repository's regions. */
function updateReadme(tree: Tree, o: NormalizedRemoveRegion): string[] {
  return updateGeneratedSections(tree, render({ ...o.repo.spec, regions: o.repo.spec.regions.filter((r) => r.name !== o.region) }));
}

function updateManifest(tree: Tree, o: NormalizedRemoveRegion): string[] {
  return writeManifest(tree, withoutRegion(o.repo.manifest, o.region));
}

/** How to plan and apply the root of a regions map, through the inferred targets. */
function applyCommand(map: RegionsMap): string {
  const project = projectNameOf(map.root.path);
  return map.root.kind === 'workspace'
    ? `npx nx run ${project}:plan:${map.env} && npx nx run ${project}:apply:${map.env}`
    : `npx nx run ${project}:plan && npx nx run ${project}:apply`;
}

function printDisabled(o: NormalizedRemoveRegion, changed: RegionsMap[]): void {
  const next = `npx nx g remove-region ${o.region} --drop`;
  if (changed.length === 0) {
    log.info(`Nothing to change: ${o.region} is already disabled in every root. Once they are all applied, finish with: ${next}`);
    return;
  }
  log.info(`Step 1 of 2: ${o.region} is now disabled ("enabled": false) in ${changed.length} place(s); its provider instance stays.`);
  log.info(
    [
      'Before step 2, apply each of them, so its resources in the region are destroyed while the provider can still reach them:',
      ...o.holding.map((m) => `  ${applyCommand(m)}`),
      `Then run step 2: ${next}`,
    ].join('\n'),
  );
}

function printDropped(o: NormalizedRemoveRegion, written: string[]): void {
  if (written.length === 0) {
    log.info(`Nothing to change: ${o.region} is configured nowhere any more.`);
    return;
  }
  log.info(`Step 2 of 2: ${o.region} removed from ${written.join(', ')}.`);
  log.info(['Apply each root once more to drop its provider instance for the region:', ...o.holding.map((m) => `  ${applyCommand(m)}`)].join('\n'));
}
