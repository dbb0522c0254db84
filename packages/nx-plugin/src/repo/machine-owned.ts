import type { Tree } from '@nx/devkit';
import { hasGeneratedSections, isCiFile, replaceGeneratedSections } from '../core.js';
import { writeIfChanged } from './json.js';
import type { Rendering } from './render.js';

// The files generators may rewrite after the first scaffold: machine-owned JSON (the manifest
// and every *.auto.tfvars.json), which only ever gets keys added (json.ts mergeAdditions), the CI
// pipelines (the core's isCiFile), which are re-rendered, and encryption.tf (isEncryptionFile), by
// key-change only; and the generated sections of README.md and CODEOWNERS (between
// create-tofu-infra:begin/end markers), re-rendered while the text around them stays the user's.
// HCL and everything else belong to the user once written and are never touched again.

/** Writes the CI pipelines of a rendering; returns the paths that changed. */
export function updateCiFiles(tree: Tree, rendering: Rendering): string[] {
  return [...rendering].filter(([path, content]) => isCiFile(path) && writeIfChanged(tree, path, content)).map(([path]) => path);
}

/** Re-renders the generated sections of every file that has them (README.md, CODEOWNERS); returns the paths that changed. */
export function updateGeneratedSections(tree: Tree, rendering: Rendering): string[] {
  return [...rendering]
    .filter(([path, content]) => {
      if (!hasGeneratedSections(content) || !tree.exists(path)) return false;
      const current = tree.read(path, 'utf-8') ?? '';
      return writeIfChanged(tree, path, replaceGeneratedSections(current, content));
    })
    .map(([path]) => path);
}
