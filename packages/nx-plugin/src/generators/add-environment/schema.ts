import type { RootPlan, Spec } from '../../core.js';
import type { Rendering } from '../../repo/render.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g add-environment <name> [--from <env>] [--account <id>]. */
export interface AddEnvironmentSchema {
  name: string;
  from?: string;
  /** The environment's AWS account: required in a repository made with --accounts, refused in others. */
  account?: string;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedAddEnvironment {
  repo: Repository;
  env: string;
  from: string | undefined;
  /** The environment's account (repositories made with --accounts only). */
  account: string | undefined;
  /** The repository's spec with the environment (and its account) appended. */
  spec: Spec;
  before: Rendering;
  after: Rendering;
  /** Roots the environment gets (none in the workspace layout, where it is a workspace of infra/). */
  newRoots: RootPlan[];
}
