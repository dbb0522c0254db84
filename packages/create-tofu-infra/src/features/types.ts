import type { Templates } from '../render/templates.js';
import type { GeneratedFile, Spec } from '../spec/spec.js';
import type { BackendKind, CiTarget, KeyProviderKind, Layout } from '../spec/options.js';
import type { EncryptionTransition } from '../render/encryption.js';

/** How to render, beyond the spec: a key change in progress. */
export interface RenderOptions {
  encryption?: EncryptionTransition | undefined;
}

/** A value written into HCL: strings are quoted and escaped, `{ expr }` is written as it is. */
export type HclValue = string | boolean | number | { expr: string };

/** One OpenTofu root the layout produces (a directory you run `tofu init` in). */
export interface RootPlan {
  /** Path from the repository root, e.g. environments/dev. */
  path: string;
  kind: 'environment' | 'workspace' | 'shared' | 'service' | 'bootstrap';
  /** The environment whose state, bucket and key the root uses ('shared' for the hybrid shared root). */
  stateEnv: string | undefined;
  service?: string;
}

/** Where one root keeps its state. */
export interface StateContext {
  spec: Spec;
  root: RootPlan;
  /** The environment the state belongs to (bucket, key, lock table are per environment). */
  env: string;
}

/** A backend kind: renders backend.tf and the matching terraform_remote_state config. */
export interface BackendFeature {
  kind: BackendKind;
  summary: string;
  backendBlock(t: Templates, ctx: StateContext): string;
  /** `backend` and `config` for a terraform_remote_state data source in root `from` reading that state. */
  remoteState(ctx: StateContext, from: RootPlan): { backend: string; config: Record<string, HclValue> };
}

/** Encryption of one root: the key provider for its own state, and those of the states it reads. */
export interface EncryptionContext {
  spec: Spec;
  root: RootPlan;
  /** The environment whose key encrypts this root's state and plans ('${terraform.workspace}' style roots pass undefined). */
  env: string | undefined;
}

/** A key provider kind: renders the key_provider block (without the method and targets). */
export interface KeyProviderFeature {
  kind: KeyProviderKind;
  summary: string;
  /** Type word of the key_provider block, or undefined for `none`. */
  type: string | undefined;
  /** HCL of `key_provider "<type>" "<name>" { ... }` for one environment's key. */
  keyProviderBlock(t: Templates, ctx: { spec: Spec; env: string | undefined; name: string }): string;
  /** Variables the block needs (e.g. the pbkdf2 passphrase), as HCL. */
  variables(t: Templates): string;
  /** Environment variables a person or CI sets for this provider, for README and CI docs. */
  environment: { name: string; secret: boolean; description: string }[];
}

/** A layout: which roots exist and which files make them. */
export interface LayoutFeature {
  kind: Layout;
  summary: string;
  roots(spec: Spec): RootPlan[];
  files(spec: Spec, t: Templates, opts?: RenderOptions): GeneratedFile[];
}

/** A CI system: the pipeline files for a repository. */
export interface CiFeature {
  kind: CiTarget;
  summary: string;
  files(spec: Spec, t: Templates, roots: RootPlan[]): GeneratedFile[];
}
