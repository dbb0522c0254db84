import type { Tree } from '@nx/devkit';
import { checkRegion, checkSpec, MANIFEST_FILE, REGIONS_FILE } from '../../core.js';
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
  const env = schema.env?.trim();
  const problems: string[] = [];
  const invalid = checkRegion(region);
  if (invalid) problems.push(`${invalid}. Use an AWS region name (e.g. ap-southeast-2, us-east-1).`);
  const environments = repo.spec.envs.join(', ');
  // An empty --env is a mistake, never "every environment": that is what leaving --env out says.
  if (env === '')
    problems.push(
      `--env is empty. Name one environment (--env ${repo.spec.envs[0]}), or leave --env out to add the region to every environment. Environments: ${environments}.`,
    );
  else if (env !== undefined && !repo.spec.envs.includes(env))
    problems.push(`--env "${env}" is not an environment of this repository. Environments: ${environments}.`);
  if (problems.length > 0) throw new GeneratorError(problems);

  const maps = inScope(regionsMaps(tree, repo), env);
  if (maps.length === 0) throw new GeneratorError([`No ${REGIONS_FILE} found in the roots ${MANIFEST_FILE} lists, so there is nowhere to add "${region}".`]);
  const present = maps.filter((m) => region in readSettings(tree, m).regions);
  const listed = repo.spec.regions.find((r) => r.name === region);
  const vpcCidr = listed?.vpcCidr ?? newRegionCidr(tree, repo);
  if (!listed) {
    const refused = checkSpec(
      { ...repo.spec, regions: [...repo.spec.regions, { name: region, vpcCidr }] },
      { acceptedRegions: repo.spec.regions.map((r) => r.name), allowUnknownRegions: schema.allowUnknownRegion === true },
    );
    if (refused.length > 0) throw new GeneratorError(refused.map((p) => `Cannot add region "${region}": ${p}`));
  }
  return {
    repo,
    region,
    env,
    vpcCidr,
    missing: maps.filter((m) => !present.includes(m)),
    present,
    addToManifest: env === undefined && !listed,
  };
}
