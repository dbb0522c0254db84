import type { RegionsMap } from '../../repo/regions.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g remove-region <region> [--drop]. */
export interface RemoveRegionSchema {
  region: string;
  drop?: boolean;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedRemoveRegion {
  repo: Repository;
  region: string;
  /** Step 2: remove the entries (step 1 disables them). */
  drop: boolean;
  /** The regions maps that hold the region. */
  holding: RegionsMap[];
}
