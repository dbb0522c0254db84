import type { RootPlan, Spec } from '../../core.js';
import type { Rendering } from '../../repo/render.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g add-environment <name> [--from <env>]. */
export interface AddEnvironmentSchema {
  name: string;
  from?: string;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedAddEnvironment {
  repo: Repository;
  env: string;
  from: string | undefined;
  /** The repository's spec with the environment appended. */
  spec: Spec;
  before: Rendering;
  after: Rendering;
  /** Roots the environment gets (none in the workspace layout, where it is a workspace of infra/). */
  newRoots: RootPlan[];
}
