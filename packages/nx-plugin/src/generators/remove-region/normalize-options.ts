import type { Tree } from '@nx/devkit';
import { checkRegion, MANIFEST_FILE } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { readSettings, regionsMaps } from '../../repo/regions.js';
import { readRepository } from '../../repo/repository.js';
import type { NormalizedRemoveRegion, RemoveRegionSchema } from './schema.js';

/** Checks that the region can go (known, not primary, disabled before --drop); throws before any write. */
export function normalizeOptions(tree: Tree, schema: RemoveRegionSchema): NormalizedRemoveRegion {
  const repo = readRepository(tree);
  const region = (schema.region ?? '').trim();
  const drop = schema.drop === true;
  const invalid = checkRegion(region);
  if (invalid) throw new GeneratorError([`${invalid}. Use an AWS region name (e.g. ap-southeast-2, us-east-1).`]);

  const maps = regionsMaps(tree, repo);
  const holding = maps.filter((m) => region in readSettings(tree, m).regions);
  const listed = repo.spec.regions.some((r) => r.name === region);
  // --drop included: dropping a region configured nowhere is a typo or a second run, never a change.
  if (holding.length === 0 && !listed) {
    const configured = [...new Set([...repo.spec.regions.map((r) => r.name), ...maps.flatMap((m) => Object.keys(readSettings(tree, m).regions))])];
    throw new GeneratorError([
      `Region "${region}" is not configured in any root or in ${MANIFEST_FILE}${drop ? ' (already dropped, or never added)' : ''}. Configured regions: ${configured.join(', ')}.`,
    ]);
  }

  const primaryOf = maps.filter((m) => readSettings(tree, m).primary_region === region).map((m) => m.root.path);
  if (primaryOf.length > 0 || repo.spec.regions[0]?.name === region) {
    throw new GeneratorError([
      `"${region}" is the primary region${primaryOf.length > 0 ? ` of ${[...new Set(primaryOf)].join(', ')}` : ` in ${MANIFEST_FILE}`}: the default provider, the state bucket and the keys live there, so it cannot be removed. Only secondary regions can.`,
    ]);
  }
  const enabled = holding.filter((m) => readSettings(tree, m).regions[region]?.enabled !== false);
  if (drop && enabled.length > 0) {
    throw new GeneratorError([
      `"${region}" is still enabled in ${enabled.map((m) => m.root.path).join(', ')}: its resources would lose their provider. Run \`npx nx g remove-region ${region}\` first, apply those roots, then run --drop.`,
    ]);
  }
  return { repo, region, drop, holding };
}
