import type { Tree } from '@nx/devkit';
import { checkRegion, MANIFEST_FILE, type Spec } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { nextFreeCidr, readSettings, regionsMaps, REGIONS_FILE, type RegionsMap } from '../../repo/regions.js';
import { render } from '../../repo/render.js';
import { readRepository } from '../../repo/repository.js';
import type { AddRegionSchema, NormalizedAddRegion } from './schema.js';

/** The maps --env selects: the environment's own, plus the hybrid shared root, whose network every service reads. */
function inScope(maps: RegionsMap[], env: string | undefined): RegionsMap[] {
  return env === undefined ? maps : maps.filter((m) => m.env === env || m.root.kind === 'shared');
}

/** Checks the region and environment, picks the VPC CIDR and renders the result; throws before any write. */
export function normalizeOptions(tree: Tree, schema: AddRegionSchema): NormalizedAddRegion {
  const repo = readRepository(tree);
  const region = (schema.region ?? '').trim();
  const env = schema.env?.trim() || undefined;
  const problems: string[] = [];
  const invalid = checkRegion(region);
  if (invalid) problems.push(`${invalid}. Use an AWS region name (e.g. ap-southeast-2, us-east-1).`);
  if (env !== undefined && !repo.spec.envs.includes(env)) problems.push(`--env "${env}" is not an environment of this repository. Environments: ${repo.spec.envs.join(', ')}.`);
  if (problems.length > 0) throw new GeneratorError(problems);

  const maps = inScope(regionsMaps(tree, repo), env);
  if (maps.length === 0) throw new GeneratorError([`No ${REGIONS_FILE} found in the roots ${MANIFEST_FILE} lists, so there is nowhere to add "${region}".`]);
  const present = maps.filter((m) => region in readSettings(tree, m).regions);
  const listed = repo.spec.regions.find((r) => r.name === region);
  const vpcCidr = listed?.vpcCidr ?? nextFreeCidr(tree, repo);
  const spec: Spec = listed ? repo.spec : { ...repo.spec, regions: [...repo.spec.regions, { name: region, vpcCidr }] };
  return {
    repo,
    region,
    env,
    vpcCidr,
    spec,
    after: render(spec),
    missing: maps.filter((m) => !present.includes(m)),
    present,
    addToManifest: env === undefined && !listed,
  };
}
