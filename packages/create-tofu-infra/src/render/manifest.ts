import type { RootPlan } from '../features/types.js';
import type { Spec } from '../spec/spec.js';

/** The manifest every generated repository carries: later generators (nx g ...) read it. */
export const MANIFEST_FILE = 'tofu-infra.json';

export interface Manifest {
  generator: 'create-tofu-infra';
  generatorVersion: string;
  spec: Omit<Spec, 'generatorVersion'>;
  roots: string[];
}

export function manifestOf(spec: Spec, roots: RootPlan[]): Manifest {
  const { generatorVersion, ...choices } = spec;
  return { generator: 'create-tofu-infra', generatorVersion, spec: choices, roots: roots.map((r) => r.path) };
}
