import type { Tree } from '@nx/devkit';
import { checkRegion, MANIFEST_FILE, REGIONS_FILE } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { newRegionCidr, readSettings, regionsMaps, type RegionsMap } from '../../repo/regions.js';
import { readRepository } from '../../repo/repository.js';
import type { AddRegionSchema, NormalizedAddRegion } from './schema.js';

/** The maps --env selects: the environment's own, plus the hybrid shared root, whose network every service reads. */
function inScope(maps: RegionsMap[], env: string | undefined): RegionsMap[] {
  return env === undefined ? maps : maps.filter((m) => m.env === env || m.root.kind === 'shared');
}

/** Checks the region and environment and picks the VPC CIDR; throws before any write. */
export function normalizeOptions(tree: Tree, schema: AddRegionSchema): NormalizedAddRegion {
  const repo = readRepository(tree);
  const region = (schema.region ?? '').trim();
  const env = schema.env?.trim() || undefined;
  const problems: string[] = [];
  const invalid = checkRegion(region);
  if (invalid) problems.push(`${invalid}. Use an AWS region name (e.g. ap-southeast-2, us-east-1).`);
  if (env !== undefined && !repo.spec.envs.includes(env))
    problems.push(`--env "${env}" is not an environment of this repository. Environments: ${repo.spec.envs.join(', ')}.`);
  if (problems.length > 0) throw new GeneratorError(problems);

  const maps = inScope(regionsMaps(tree, repo), env);
  if (maps.length === 0) throw new GeneratorError([`No ${REGIONS_FILE} found in the roots ${MANIFEST_FILE} lists, so there is nowhere to add "${region}".`]);
  const present = maps.filter((m) => region in readSettings(tree, m).regions);
  const listed = repo.spec.regions.find((r) => r.name === region);
  return {
    repo,
    region,
    env,
    vpcCidr: listed?.vpcCidr ?? newRegionCidr(tree, repo),
    missing: maps.filter((m) => !present.includes(m)),
    present,
    addToManifest: env === undefined && !listed,
  };
}
