import type { Tree } from '@nx/devkit';
import { MANIFEST_FILE } from '../../core.js';
import { mergeIntoJsonFile, nest, valueAt, type Json } from '../../repo/json.js';
import { log } from '../../repo/log.js';
import { readSettings } from '../../repo/regions.js';
import { normalizeOptions } from './normalize-options.js';
import type { AddRegionSchema, NormalizedAddRegion } from './schema.js';

/**
 * nx g add-region <region> [--env <env>]: the region, as create-tofu-infra renders it (enabled,
 * the next free /16), added to each regions.auto.tfvars.json in scope and to the manifest.
 * Only the new key is added; every value already there, user edits included, stays.
 */
export async function addRegionGenerator(tree: Tree, schema: AddRegionSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);
  const written = [...updateRegionsFiles(tree, options), ...updateManifest(tree, options)];
  printSummary(tree, options, written);
}

/** Adds the rendered entry of the region to every map in scope that lacks it. */
export function updateRegionsFiles(tree: Tree, o: NormalizedAddRegion): string[] {
  const written = o.missing.flatMap((map) => {
    const at = [...map.at, 'regions', o.region];
    const value = valueAt(JSON.parse(o.after.get(map.file) ?? '{}') as Json, at);
    if (value === undefined) return [];
    return mergeIntoJsonFile(tree, map.file, nest(at, value)) ? [map.file] : [];
  });
  return [...new Set(written)];
}

export function updateManifest(tree: Tree, o: NormalizedAddRegion): string[] {
  if (!o.addToManifest) return [];
  const additions = { spec: { regions: [{ name: o.region, vpcCidr: o.vpcCidr }] } };
  return mergeIntoJsonFile(tree, MANIFEST_FILE, additions) ? [MANIFEST_FILE] : [];
}

function printSummary(tree: Tree, o: NormalizedAddRegion, written: string[]): void {
  const disabled = o.present.filter((m) => readSettings(tree, m).regions[o.region]?.enabled === false);
  if (written.length === 0) {
    log.info(`Nothing to change: ${o.region} is already configured in every root${o.env ? ` of "${o.env}"` : ''}.`);
  } else {
    log.info(`Added ${o.region} (VPC ${o.vpcCidr}) to ${o.missing.map((m) => (m.at.length > 0 ? `${m.file} (${m.env})` : m.file)).join(', ')}.`);
    log.info('Next: plan and apply the roots to create its resources (nx run-many -t plan).');
  }
  if (disabled.length > 0) {
    log.info(`Note: ${o.region} is disabled ("enabled": false) in ${disabled.map((m) => m.root.path).join(', ')}; set it to true there to deploy it again.`);
  }
}
