import type { Tree } from '@nx/devkit';
import { regionValue, withRegion } from '../../core.js';
import { mergeIntoJsonFile, nest } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { updateGeneratedSections } from '../../repo/machine-owned.js';
import { readSettings } from '../../repo/regions.js';
import { render } from '../../repo/render.js';
import { writeManifest } from '../../repo/repository.js';
import { normalizeOptions } from './normalize-options.js';
import type { AddRegionSchema, NormalizedAddRegion } from './schema.js';

/**
 * nx g add-region <region> [--env <env>]: the region, as create-tofu-infra renders it (enabled,
 * the next free /16), added to each regions.auto.tfvars.json in scope and to the manifest.
 * Only the new key is added; every value already there, user edits included, stays.
 */
export async function addRegionGenerator(tree: Tree, schema: AddRegionSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);
  const written = [...updateRegionsFiles(tree, options), ...updateManifest(tree, options), ...updateReadme(tree, options)];
  printSummary(tree, options, written);
}

/** Adds the region, as the core writes a new one (enabled, its CIDR), to every map in scope that lacks it. */
function updateRegionsFiles(tree: Tree, o: NormalizedAddRegion): string[] {
  const value = regionValue({ name: o.region, vpcCidr: o.vpcCidr });
  const written = o.missing.filter((map) => mergeIntoJsonFile(tree, map.file, nest([...map.at, 'regions', o.region], { ...value })));
  return [...new Set(written.map((map) => map.file))];
}

function updateManifest(tree: Tree, o: NormalizedAddRegion): string[] {
  return o.addToManifest ? writeManifest(tree, withRegion(o.repo.manifest, { name: o.region, vpcCidr: o.vpcCidr })) : [];
}

/** The README's generated sections list the repository's regions: only a region added to the manifest changes them. */
function updateReadme(tree: Tree, o: NormalizedAddRegion): string[] {
  if (!o.addToManifest) return [];
  return updateGeneratedSections(tree, render({ ...o.repo.spec, regions: [...o.repo.spec.regions, { name: o.region, vpcCidr: o.vpcCidr }] }));
}

function printSummary(tree: Tree, o: NormalizedAddRegion, written: string[]): void {
  const disabled = o.present.filter((m) => readSettings(tree, m).regions[o.region]?.enabled === false);
  if (written.length === 0) {
    log.info(`Nothing to change: ${o.region} is already configured in every root${o.env ? ` of "${o.env}"` : ''}.`);
  } else {
    log.info(`Added ${o.region} (VPC ${o.vpcCidr}) to ${o.missing.map((m) => (m.at.length > 0 ? `${m.file} (${m.env})` : m.file)).join(', ')}.`);
    log.info('Next: plan and apply the roots to create its resources (npx nx run-many -t plan).');
  }
  if (disabled.length > 0) {
    log.info(`Note: ${o.region} is disabled ("enabled": false) in ${disabled.map((m) => m.root.path).join(', ')}; set it to true there to deploy it again.`);
  }
}
