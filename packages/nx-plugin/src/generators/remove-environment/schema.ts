import type { RootPlan, Spec } from '../../core.js';
import type { RegionsMap } from '../../repo/regions.js';
import type { Rendering } from '../../repo/render.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g remove-environment <name> [--drop] [--production]. */
export interface RemoveEnvironmentSchema {
  name: string;
  drop?: boolean;
  /** Required to remove a production environment (prod, prod-eu, production). */
  production?: boolean;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedRemoveEnvironment {
  repo: Repository;
  env: string;
  /** Step 2: remove the roots and entries (step 1 disables every region, so an apply destroys everything). */
  drop: boolean;
  /** The repository's spec without the environment. */
  spec: Spec;
  before: Rendering;
  after: Rendering;
  /** The environment's own roots (none in the workspace layout, where it is a workspace of infra/). */
  roots: RootPlan[];
  /** The environment's regions maps. */
  maps: RegionsMap[];
  /** Its account (--accounts), which bootstrap keeps as a retired account until an apply has destroyed what it created there. */
  account?: string;
  /** Its state bucket in bootstrap, when no other environment shares it. */
  bucket?: string;
}
