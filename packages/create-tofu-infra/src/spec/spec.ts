import type { BackendKind, CiTarget, KeyProviderKind, Layout, LockKind, ModuleName } from './options.js';

/** One region of one environment. `vpcCidr` is fixed when the region is added, so adding another never renumbers it. */
export interface RegionSpec {
  name: string;
  vpcCidr: string;
}

/**
 * The one typed description of a repository to generate. It is resolved and validated before
 * any I/O; everything the tool writes is a function of it.
 */
export interface Spec {
  /** Prefix used in bucket, key and alias names. */
  name: string;
  layout: Layout;
  envs: string[];
  /** Ordered: the first is the primary region. */
  regions: RegionSpec[];
  /** Hybrid layout only: the service stacks under services/. */
  services: string[];
  modules: ModuleName[];
  backend: BackendKind;
  /** S3 backend only. */
  lock: LockKind | undefined;
  keyProvider: KeyProviderKind;
  ci: CiTarget[];
  generatorVersion: string;
}

/** A file the core produced: a path relative to the repository root and its full content. */
export interface GeneratedFile {
  path: string;
  content: string;
}
