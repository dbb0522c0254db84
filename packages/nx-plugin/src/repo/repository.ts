import type { Tree } from '@nx/devkit';
import { MANIFEST_FILE, manifestText, readManifest, rootsOf, type Manifest, type RootPlan, type Spec } from '../core.js';
import { GeneratorError } from './errors.js';
import { readJson, writeIfChanged } from './json.js';

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
  const read = readManifest(readJson(tree, MANIFEST_FILE));
  if ('problems' in read) throw new GeneratorError(read.problems);
  return { ...read, roots: rootsOf(read.spec) };
}

/** Writes the manifest the way create-tofu-infra does; returns the path when it changed. */
export function writeManifest(tree: Tree, manifest: Manifest): string[] {
  return writeIfChanged(tree, MANIFEST_FILE, manifestText(manifest)) ? [MANIFEST_FILE] : [];
}
