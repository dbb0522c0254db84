import type { Tree } from '@nx/devkit';
import { loadTemplates, renderRepository, type RenderOptions, type Spec, type Templates } from '../core.js';

let templates: Templates | undefined;

/** create-tofu-infra's templates: the plugin's own copy when packed, the repository's templates/ in development. */
function theTemplates(): Templates {
  templates ??= loadTemplates();
  return templates;
}

/** Every text file of the repository a spec describes, by path, exactly as create-tofu-infra renders it. */
export type Rendering = Map<string, string>;

export function render(spec: Spec): Rendering {
  return renderWith(spec, {});
}

/** The same, with render options (a key change in progress). */
export function renderWith(spec: Spec, opts: RenderOptions): Rendering {
  // Generators render without a plugin tarball (the repository has its own), so every file is text.
  return new Map(renderRepository(spec, theTemplates(), opts).flatMap((f) => (typeof f.content === 'string' ? [[f.path, f.content]] : [])));
}

/** Paths a spec change adds: in the rendering after, not in the rendering before. */
export function addedPaths(before: Rendering, after: Rendering): string[] {
  return [...after.keys()].filter((path) => !before.has(path));
}

/** Paths a spec change removes: in the rendering before, not in the rendering after. */
export function removedPaths(before: Rendering, after: Rendering): string[] {
  return [...before.keys()].filter((path) => !after.has(path));
}

/** Writes the files a spec change adds (the difference of the two renderings); returns their paths. */
export function writeAdded(tree: Tree, before: Rendering, after: Rendering): string[] {
  const added = addedPaths(before, after);
  for (const path of added) tree.write(path, after.get(path)!);
  return added;
}
