import type { Tree } from '@nx/devkit';
import { writeIfChanged } from './json.js';
import type { Rendering } from './render.js';

// The files generators may rewrite after the first scaffold: machine-owned JSON (the manifest
// and every *.auto.tfvars.json), which only ever gets keys added (json.ts mergeAdditions), and
// the CI pipelines below, which are re-rendered. HCL, README and everything else belong to the
// user once written and are never touched again.

/** A CI pipeline file: regenerated from the templates whenever the environments change. */
export function isCiFile(path: string): boolean {
  return path === '.gitlab-ci.yml' || path.startsWith('.github/workflows/');
}

/** Writes the CI pipelines of a rendering; returns the paths that changed. */
export function updateCiFiles(tree: Tree, rendering: Rendering): string[] {
  return [...rendering].filter(([path, content]) => isCiFile(path) && writeIfChanged(tree, path, content)).map(([path]) => path);
}
