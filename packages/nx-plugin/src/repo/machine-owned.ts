import type { Tree } from '@nx/devkit';
import { changesOf, hasGeneratedSections, isCiFile, planUpgrade, replaceGeneratedSections, type FilePlan } from '../core.js';
import { writeIfChanged } from './json.js';
import { log } from './log.js';
import type { Rendering } from './render.js';

// The files generators may rewrite after the first scaffold: machine-owned JSON (the manifest
// and every *.auto.tfvars.json), which only ever gets keys added (json.ts mergeAdditions), the CI
// pipelines (the core's isCiFile), which are re-rendered through the three-way merge upgrade uses,
// and encryption.tf (isEncryptionFile), by key-change only; and the generated sections of README.md
// and CODEOWNERS (between create-tofu-infra:begin/end markers), re-rendered while the text around
// them stays the user's. HCL and everything else belong to the user once written and are never
// touched again.

/**
 * Re-renders files of the repository the way `create-tofu-infra upgrade` does: base = the
 * rendering before the generator's change, new = the rendering after, ours = the file in the Tree.
 * A user's edit survives; where it touches the same lines as the change, conflict markers are
 * written and named. Returns the paths that changed.
 */
export function rerenderFiles(tree: Tree, before: Rendering, after: Rendering, paths: string[]): string[] {
  const pick = (rendering: ReadonlyMap<string, string>) =>
    new Map(paths.flatMap((p): [string, string][] => (rendering.has(p) ? [[p, rendering.get(p)!]] : [])));
  const ours = new Map(paths.flatMap((p): [string, string][] => (tree.exists(p) ? [[p, tree.read(p, 'utf-8')!]] : [])));
  const changes = changesOf(planUpgrade(pick(before), pick(after), ours, { labels: { ours: 'yours', theirs: 'generator' } }));
  for (const change of changes) writeChange(tree, change);
  const conflicts = changes.filter((c) => c.action === 'conflict').map((c) => c.path);
  if (conflicts.length > 0) {
    log.info(`Conflict: your edits and the generator's change touch the same lines in ${conflicts.join(', ')}. Resolve the <<<<<<< yours markers there.`);
  }
  return changes.map((c) => c.path);
}

function writeChange(tree: Tree, change: FilePlan): void {
  if (change.action === 'delete') tree.delete(change.path);
  else if (change.content !== undefined) tree.write(change.path, change.content);
}

/** Re-renders the CI pipelines of a generator's change (see rerenderFiles); returns the paths that changed. */
export function updateCiFiles(tree: Tree, before: Rendering, after: Rendering): string[] {
  return rerenderFiles(tree, before, after, [...new Set([...before.keys(), ...after.keys()])].filter(isCiFile));
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
