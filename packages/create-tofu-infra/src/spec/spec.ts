import type { LockKind, ModuleName } from './options.js';

/** One region of one environment. `vpcCidr` is fixed when the region is added, so adding another never renumbers it. */
export interface RegionSpec {
  name: string;
  vpcCidr: string;
}

/**
 * The one typed description of a repository to generate. It is resolved and checked (checkSpec)
 * before any I/O; everything the tool writes is a function of it. Feature kinds are keys of their
 * tables under features/ (layouts, backends, key-providers, ci), which checkSpec holds them to.
 */
export interface Spec {
  /** Prefix used in bucket, key and alias names. */
  name: string;
  /** A key of the layouts table. */
  layout: string;
  envs: string[];
  /** Ordered: the first is the primary region. */
  regions: RegionSpec[];
  /** Hybrid layout only: the service stacks under services/. */
  services: string[];
  modules: ModuleName[];
  /** A key of the backends table. */
  backend: string;
  /** Backends with locks only (s3). */
  lock: LockKind | undefined;
  /** A key of the key providers table. */
  keyProvider: string;
  /** Keys of the CI targets table, in table order. */
  ci: string[];
  /** Code owners of bootstrap/, production and CI files: @user, @org/team or an e-mail address. */
  owners: string[];
  /** GitHub repository (owner/name) whose workflows bootstrap's GitHub roles trust; absent: none created. */
  githubRepo?: string | undefined;
  /** GitLab project path (group/project) whose pipelines bootstrap's GitLab roles trust; absent: none created. */
  gitlabProject?: string | undefined;
  /** Host of that GitLab instance (gitlab.com unless self-managed). */
  gitlabHost?: string | undefined;
  /** Per environment that owns state, the AWS account it lives in (--accounts); absent: every environment in the caller's one account. */
  accounts?: Record<string, string> | undefined;
  generatorVersion: string;
}

/**
 * A file the core produced: a path relative to the repository root and its full content, text
 * for everything rendered from templates, bytes for a file shipped as it is (the plugin tarball).
 */
export interface GeneratedFile {
  path: string;
  content: string | Uint8Array;
}

/** The Nx plugin packed by `npm pack`, shipped inside the generated repository (see features/nx-plugin.ts). */
export interface PluginTarball {
  /** npm pack's file name, e.g. create-tofu-infra-nx-0.1.0.tgz. */
  fileName: string;
  bytes: Uint8Array;
}

/**
 * A key change in progress. `migrate`: existing plaintext state is read through an `unencrypted`
 * fallback (enforcement off until done). `rotate`: state written with the `from` key provider is
 * read through a fallback to it. Absent: the steady state, enforced, no fallback. The manifest
 * records it as `keyChange` while it lasts.
 */
export type EncryptionTransition = { kind: 'migrate' } | { kind: 'rotate'; from: string };

/** How to render, beyond the spec: a key change in progress; the plugin to ship (absent: the registry's). */
export interface RenderOptions {
  encryption?: EncryptionTransition | undefined;
  pluginTarball?: PluginTarball | undefined;
}

/** One OpenTofu root of the repository (a directory you run `tofu init` in). */
export interface RootPlan {
  /** Path from the repository root, e.g. environments/dev. */
  path: string;
  kind: 'environment' | 'workspace' | 'shared' | 'service' | 'bootstrap';
  /** The environment whose state, bucket and key the root uses ('shared' for the hybrid shared root). */
  stateEnv: string | undefined;
  service?: string;
}
