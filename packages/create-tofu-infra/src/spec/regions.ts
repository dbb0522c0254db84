import type { RegionSpec } from './spec.js';

/** The file in every AWS root holding its regions, edited by `nx g add-region` / `nx g remove-region`. */
export const REGIONS_FILE = 'regions.auto.tfvars.json';

/** One region of one environment, as regions.auto.tfvars.json holds it. */
export interface RegionValue {
  enabled: boolean;
  vpc_cidr: string;
}

/** The region settings of one environment: a whole regions.auto.tfvars.json (or one entry of the workspace layout's). */
export interface RegionSettings {
  primary_region: string;
  regions: Record<string, RegionValue>;
}

/** VPC CIDRs are 10.<n>.0.0/16 with n a multiple of BLOCK, so that each region has room for 16 /16s of its own. */
const BLOCK = 16;

function blockOf(cidr: string): number | undefined {
  const m = /^10\.(\d{1,3})\./.exec(cidr);
  return m ? Math.floor(Number(m[1]) / BLOCK) : undefined;
}

/**
 * The next free VPC CIDR: 10.<n>.0.0/16 with n the lowest multiple of 16 that none of `used` falls
 * into, so a new region never overlaps an existing one; undefined when every block is taken.
 */
export function nextFreeCidr(used: readonly string[]): string | undefined {
  const taken = new Set(used.map(blockOf));
  for (let block = 0; block * BLOCK < 256; block++) {
    if (!taken.has(block)) return `10.${block * BLOCK}.0.0/16`;
  }
  return undefined;
}

/**
 * A region whose VPC CIDR is not one of the plan's blocks (10.<n>.0.0/16, n a multiple of 16 below
 * 256) or shares its block with an earlier region of `regions`: a problem sentence, else undefined.
 */
export function cidrProblem(region: RegionSpec, regions: readonly RegionSpec[]): string | undefined {
  const m = /^10\.(\d{1,3})\.0\.0\/16$/.exec(region.vpcCidr);
  if (!m || Number(m[1]) > 255 || Number(m[1]) % BLOCK !== 0) {
    return `region "${region.name}" has the VPC CIDR "${region.vpcCidr}", outside the plan: 10.<n>.0.0/16 with n one of 0, ${BLOCK}, ..., ${256 - BLOCK} (at most ${MAX_REGIONS} regions)`;
  }
  const first = regions.find((r) => blockOf(r.vpcCidr) === blockOf(region.vpcCidr));
  return first && first !== region ? `regions "${first.name}" and "${region.name}" share the VPC CIDR block of ${region.vpcCidr}` : undefined;
}

/** How many regions a repository can hold: one CIDR block each. */
export const MAX_REGIONS = 256 / BLOCK;

/** The first region is the primary one; each gets the next free /16, which later additions never renumber. */
export function regionSpecs(names: readonly string[]): RegionSpec[] {
  return names.reduce<RegionSpec[]>((specs, name) => {
    const vpcCidr = nextFreeCidr(specs.map((r) => r.vpcCidr));
    if (vpcCidr === undefined) throw new Error(`internal error: more than ${MAX_REGIONS} regions`);
    return [...specs, { name, vpcCidr }];
  }, []);
}

/** A region as a regions file holds it when it is added: enabled, with its CIDR. */
export function regionValue(region: RegionSpec): RegionValue {
  return { enabled: true, vpc_cidr: region.vpcCidr };
}

/** The region settings of one environment, primary region first. */
export function regionSettings(regions: readonly RegionSpec[]): RegionSettings {
  return {
    primary_region: regions[0]!.name,
    regions: Object.fromEntries(regions.map((r) => [r.name, regionValue(r)])),
  };
}
