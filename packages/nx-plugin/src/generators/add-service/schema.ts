import type { RootPlan, Spec } from '../../core.js';
import type { Rendering } from '../../repo/render.js';
import type { Repository } from '../../repo/repository.js';

/** Options as typed: nx g add-service <name>. */
export interface AddServiceSchema {
  name: string;
}

/** Options checked against the repository, with everything the steps need. */
export interface NormalizedAddService {
  repo: Repository;
  service: string;
  /** The repository's spec with the service appended. */
  spec: Spec;
  before: Rendering;
  after: Rendering;
  /** The service's roots, one per environment. */
  newRoots: RootPlan[];
}
