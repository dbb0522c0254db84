import type { Templates } from '../engine/templates.js';
import type { HclExpression, HclValue } from '../engine/hcl.js';
import type { GeneratedFile, RenderOptions, RootPlan, Spec } from '../spec/spec.js';
import type { CiVariable } from './ci/variables.js';

/**
 * Feature modules: every backend, key provider, layout and CI target is one object of one of these
 * shapes, in the table of its folder (index.ts), chosen by its key. A module declares everything
 * the rest of the tool needs to know about it; nothing outside it tests for its key.
 */

/** What every feature declares for people: the prompt shows `hint` beside the choice. */
export interface Described {
  hint: string;
}

/** An environment name, or (workspace layout) the expression naming the selected workspace's environment. */
export type EnvRef = string | HclExpression;

/** Where one root keeps its state. */
export interface StateContext {
  spec: Spec;
  root: RootPlan;
  /** The environment the state belongs to (bucket, key, lock table are per environment). */
  env: string;
}

/** Rules for the names of cloud objects a feature creates for each environment that owns state: each problem says which name and why. */
export type NameRules = (spec: Spec, stateEnvs: string[]) => string[];

/** Entries of bootstrap/environments.auto.tfvars.json for one environment (see features/bootstrap.ts). */
export type BootstrapEntries = (spec: Spec, env: string) => Record<string, string>;

/**
 * A state backend: backend.tf from templates/backends/<key>.tf.hbs with `data`, and the matching
 * terraform_remote_state config for roots reading that state.
 */
export interface BackendFeature<Data extends object = object> extends Described {
  /** The OpenTofu backend type the template declares (scaleway writes an "s3" backend). */
  type: string;
  /** Locks a user picks with --lock; absent when the backend locks on its own. */
  locks?: readonly string[];
  /** Template data of backend.tf for one root. */
  data(ctx: StateContext): Data;
  /** The `config` of a terraform_remote_state data source in root `from` reading that state. */
  remoteState(ctx: StateContext, from: RootPlan): Record<string, HclValue>;
  nameProblems: NameRules;
  /** What a plan, apply or drift job needs in its environment for this backend. */
  ciVariables(spec: Spec): CiVariable[];
  /**
   * Present when the backend reads its credentials from a named AWS shared-credentials profile
   * (scaleway: so that its keys and the aws provider's never mix), written from two of its ciVariables.
   */
  profile?: CredentialsProfile;
  /** CI pipeline headers: a remark on credentials this backend reads beyond its ciVariables. */
  ciRemark?: { gitlab: string; github: string };
  /** Present when the bootstrap stack creates this backend's storage. */
  bootstrap?: BootstrapEntries;
}

/** Template data of one key_provider block (templates/encryption/key-providers/<key>.hcl.hbs). */
export interface KeyData {
  /** The key provider's name: its environment (the name is written into the encrypted metadata). */
  name: string;
}

/** What a job needs to read another environment's state with that environment's key, when its own credentials do not reach it. */
export interface ReadSecret {
  variable: CiVariable;
  /** The variable that environment's own roots read the same secret from (pbkdf2: TF_VAR_state_passphrase). */
  own: string;
}

/** A named profile of the AWS shared credentials file, filled from two exported variables (README and CI alike). */
export interface CredentialsProfile {
  name: string;
  accessKeyVariable: string;
  secretKeyVariable: string;
}

/**
 * A key provider: its key_provider block (a partial, without the method and targets) and, when it
 * needs variables, templates/encryption/variables/<key>.tf.hbs.
 */
export interface KeyProviderFeature<Data extends KeyData = KeyData> extends Described {
  /** Type word of the key_provider block, or undefined for `none` (no encryption at all). */
  type: string | undefined;
  /** Template data of the block for one environment's key; `read` when the root only reads that state (terraform_remote_state). */
  data(spec: Spec, name: string, env: EnvRef, read?: boolean): Data;
  /** Whether templates/encryption/variables/<key>.tf.hbs exists (variables the block reads). */
  variables: boolean;
  nameProblems: NameRules;
  ciVariables(spec: Spec): CiVariable[];
  /** README "First run": a sentence under the credentials block, when the provider needs more than its variables say. */
  credentialsNote?: string;
  /** Present when the bootstrap stack creates this provider's keys. */
  bootstrap?: BootstrapEntries;
  /** Present when reading environment `env`'s state needs a secret of its own (pbkdf2: its passphrase). */
  readSecret?(env: string): ReadSecret;
}

export interface LayoutReadme {
  paths: [string, string][];
  firstRun: string[];
}

/** A layout: which roots exist and which files make them. */
export interface LayoutFeature extends Described {
  roots(spec: Spec): RootPlan[];
  files(spec: Spec, t: Templates, opts: RenderOptions): GeneratedFile[];
  /** Environments that own state, in order: every environment, plus any pseudo-environment of the layout. */
  stateEnvironments(spec: Spec): string[];
  /** Environment names this layout reserves, each with the reason (a sentence after the quoted name). */
  reservedEnvironments: Record<string, string>;
  /** Whether --services applies. */
  services: boolean;
  /** The environments whose state an environment's roots read through terraform_remote_state (its CI policy must read them too). */
  remoteStateReads?(spec: Spec, env: string): string[];
  /**
   * README fragments: rows of the layout table ([path, what it is]), and the first plan/apply
   * commands. `runAs(env)` is what a command line of another environment's root starts with so
   * that it runs with that environment's secret (`export ... && `), or ''.
   */
  readme(spec: Spec, runAs: (env: string) => string): LayoutReadme;
}

/** A CI system: the pipeline files for a repository. */
export interface CiFeature extends Described {
  files(spec: Spec, t: Templates, roots: RootPlan[]): GeneratedFile[];
  /** The files of this target that generators re-render when the environments change. */
  owns(path: string): boolean;
  /** Its pipeline files and folders, owned in CODEOWNERS: they decide what runs with which credentials. */
  codeOwnerPaths: string[];
}
