import { jsonText } from '../engine/files.js';
import { LAYOUTS } from '../features/layouts/index.js';
import { DEFAULTS } from '../spec/options.js';
import type { EncryptionTransition, RegionSpec, RootPlan, Spec } from '../spec/spec.js';

/** The manifest every generated repository carries: later generators (nx g ...) read it. */
export const MANIFEST_FILE = 'tofu-infra.json';

export interface Manifest {
  generator: 'create-tofu-infra';
  generatorVersion: string;
  /**
   * The fingerprint of the templates that rendered the repository (Templates.fingerprint).
   * Absent in repositories made before `upgrade` existed; present means that version's CLI has
   * the hidden `render-from-manifest` command `upgrade` renders the base with.
   */
  templates?: string;
  spec: Omit<Spec, 'generatorVersion'>;
  roots: string[];
  /** A key change in progress (nx g key-change), until its `finish`. */
  keyChange?: EncryptionTransition;
}

export function manifestOf(spec: Spec, roots: RootPlan[], templates: string): Manifest {
  const { generatorVersion, ...choices } = spec;
  return { generator: 'create-tofu-infra', generatorVersion, templates, spec: choices, roots: roots.map((r) => r.path) };
}

/** The manifest's text: how create-tofu-infra and every generator write it. */
export function manifestText(manifest: Manifest): string {
  return jsonText(manifest);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The manifest in `value` (parsed JSON) and the Spec the repository was rendered from, or the
 * problems that make it unusable: not made by create-tofu-infra, a layout this version does not
 * know, no environments or regions. Keys it does not know stay in the manifest.
 */
export function readManifest(value: unknown): { manifest: Manifest; spec: Spec } | { problems: string[] } {
  if (!isObject(value) || value.generator !== 'create-tofu-infra' || !isObject(value.spec)) {
    return { problems: [`${MANIFEST_FILE} was not written by create-tofu-infra (no "generator": "create-tofu-infra" and "spec").`] };
  }
  const layout = value.spec.layout;
  if (typeof layout !== 'string' || !(LAYOUTS as string[]).includes(layout)) {
    return {
      problems: [`${MANIFEST_FILE} names the layout ${JSON.stringify(layout)}, which this plugin does not know. Known layouts: ${LAYOUTS.join(', ')}.`],
    };
  }
  const { envs, regions } = value.spec;
  if (!Array.isArray(envs) || !Array.isArray(regions) || regions.length === 0) {
    return { problems: [`${MANIFEST_FILE} has no "envs" list or no "regions": fix it by hand (see the README of create-tofu-infra).`] };
  }
  const manifest = value as unknown as Manifest;
  // Manifests written before --owners existed name no owners: the CLI's placeholder stands in.
  return { manifest, spec: { ...manifest.spec, owners: manifest.spec.owners ?? [...DEFAULTS.owners], generatorVersion: manifest.generatorVersion } };
}

/** The manifest with one more environment, its roots (nothing listed twice) and, in a repository with --accounts, its account. */
export function withEnvironment(manifest: Manifest, env: string, roots: string[], account?: string): Manifest {
  const envs = manifest.spec.envs.includes(env) ? manifest.spec.envs : [...manifest.spec.envs, env];
  const accounts = account !== undefined && manifest.spec.accounts ? { accounts: { ...manifest.spec.accounts, [env]: account } } : {};
  return { ...manifest, spec: { ...manifest.spec, envs, ...accounts }, roots: [...manifest.roots, ...roots.filter((r) => !manifest.roots.includes(r))] };
}

/** The spec's accounts without one environment's (none when the repository has no --accounts). */
export function accountsWithout(accounts: Record<string, string> | undefined, env: string): { accounts?: Record<string, string> } {
  return accounts ? { accounts: Object.fromEntries(Object.entries(accounts).filter(([e]) => e !== env)) } : {};
}

/** The manifest without an environment, the roots it owned and its account. */
export function withoutEnvironment(manifest: Manifest, env: string, roots: string[]): Manifest {
  return {
    ...manifest,
    spec: { ...manifest.spec, envs: manifest.spec.envs.filter((e) => e !== env), ...accountsWithout(manifest.spec.accounts, env) },
    roots: manifest.roots.filter((r) => !roots.includes(r)),
  };
}

/** The manifest with one more service (hybrid layout) and its roots. */
export function withService(manifest: Manifest, service: string, roots: string[]): Manifest {
  const services = manifest.spec.services.includes(service) ? manifest.spec.services : [...manifest.spec.services, service];
  return { ...manifest, spec: { ...manifest.spec, services }, roots: [...manifest.roots, ...roots.filter((r) => !manifest.roots.includes(r))] };
}

/** The manifest with one more region (kept as it is when a region of that name is listed). */
export function withRegion(manifest: Manifest, region: RegionSpec): Manifest {
  if (manifest.spec.regions.some((r) => r.name === region.name)) return manifest;
  return { ...manifest, spec: { ...manifest.spec, regions: [...manifest.spec.regions, region] } };
}

export function withoutRegion(manifest: Manifest, name: string): Manifest {
  return { ...manifest, spec: { ...manifest.spec, regions: manifest.spec.regions.filter((r) => r.name !== name) } };
}

/** The manifest after a key change step: the key provider now in use, and the change in progress (none once finished). */
export function withKeyChange(manifest: Manifest, keyProvider: string, change: EncryptionTransition | undefined): Manifest {
  const { keyChange: _finished, ...rest } = manifest;
  return { ...rest, spec: { ...rest.spec, keyProvider }, ...(change ? { keyChange: change } : {}) };
}
