import type { RegionsMap } from '../../repo/regions.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g add-region <region> [--env <env>]. */
export interface AddRegionSchema {
  region: string;
  env?: string;
  /** Accept a well-formed region missing from the AWS region list (one newer than the list). */
  allowUnknownRegion?: boolean;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedAddRegion {
  repo: Repository;
  region: string;
  env: string | undefined;
  /** The region's VPC CIDR: the manifest's when it lists the region, else the next free /16. */
  vpcCidr: string;
  /** The regions maps in scope (every one, or the environment's) that lack the region. */
  missing: RegionsMap[];
  /** In scope and already holding the region (maybe disabled). */
  present: RegionsMap[];
  /** The manifest gets the region (added everywhere, and not listed yet). */
  addToManifest: boolean;
}
