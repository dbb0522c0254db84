import type { Tree } from '@nx/devkit';
import { LAYOUTS, MANIFEST_FILE, rootsOf, type Manifest, type RootPlan, type Spec } from '../core.js';
import { GeneratorError } from './errors.js';
import { isObject, readJson } from './json.js';

/** A repository made by create-tofu-infra, as its manifest describes it. */
export interface Repository {
  manifest: Manifest;
  /** The spec the repository was rendered from. */
  spec: Spec;
  roots: RootPlan[];
}

/**
 * Reads tofu-infra.json into the Spec create-tofu-infra rendered the repository from. Refuses
 * workspaces it did not make, and manifests whose layout this plugin does not know.
 */
export function readRepository(tree: Tree): Repository {
  if (!tree.exists(MANIFEST_FILE)) {
    throw new GeneratorError([
      `No ${MANIFEST_FILE} at the top of the workspace: this is not a repository made by create-tofu-infra. Run the generators in one (npx create-tofu-infra my-infra).`,
    ]);
  }
  const manifest = readJson(tree, MANIFEST_FILE);
  if (!isObject(manifest) || manifest.generator !== 'create-tofu-infra' || !isObject(manifest.spec)) {
    throw new GeneratorError([`${MANIFEST_FILE} was not written by create-tofu-infra (no "generator": "create-tofu-infra" and "spec").`]);
  }
  const layout = manifest.spec.layout;
  if (typeof layout !== 'string' || !(LAYOUTS as readonly string[]).includes(layout)) {
    throw new GeneratorError([
      `${MANIFEST_FILE} names the layout ${JSON.stringify(layout)}, which this plugin does not know. Known layouts: ${LAYOUTS.join(', ')}.`,
    ]);
  }
  const { envs, regions } = manifest.spec;
  if (!Array.isArray(envs) || !Array.isArray(regions) || regions.length === 0) {
    throw new GeneratorError([`${MANIFEST_FILE} has no "envs" list or no "regions": fix it by hand (see the README of create-tofu-infra).`]);
  }
  const typed = manifest as unknown as Manifest;
  const spec: Spec = { ...typed.spec, generatorVersion: typed.generatorVersion };
  return { manifest: typed, spec, roots: rootsOf(spec) };
}
