import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing.js';
import { loadTemplates, renderRepository, resolveSpec, textOf, type RawChoices, type Spec } from '../../packages/create-tofu-infra/src/index.js';

export const LAYOUTS = ['directory', 'workspace', 'hybrid'] as const;

export function specOf(choices: RawChoices): Spec {
  return resolveSpec({ name: 'acme', ...choices }, { directoryName: 'acme', generatorVersion: '0.1.0' });
}

/** The files create-tofu-infra renders for a spec, by path. */
export function rendered(spec: Spec): Map<string, string> {
  return new Map(renderRepository(spec, loadTemplates()).map((f) => [f.path, textOf(f)]));
}

/** An Nx Tree holding the repository create-tofu-infra scaffolds for these choices. */
export function treeWithRepository(choices: RawChoices = {}): { tree: Tree; spec: Spec } {
  const tree = createTreeWithEmptyWorkspace();
  const spec = specOf(choices);
  for (const [path, content] of rendered(spec)) tree.write(path, content);
  return { tree, spec };
}

/** Every pending change of the Tree (path, type, content), to prove that a generator left it unchanged. */
export function changesOf(tree: Tree): string[] {
  return tree
    .listChanges()
    .map((c) => `${c.type} ${c.path}\n${c.content?.toString() ?? ''}`)
    .sort();
}

/** Every file of the Tree by path, to compare a later state with this one. */
export function filesOf(tree: Tree): Map<string, string> {
  return new Map(
    tree
      .listChanges()
      .filter((c) => c.type !== 'DELETE')
      .map((c) => [c.path, c.content?.toString() ?? '']),
  );
}

/** The files that differ from an earlier filesOf(tree), as path -> content (deleted: null), sorted by path. */
export function changedSince(tree: Tree, earlier: Map<string, string>): Record<string, string | null> {
  const now = filesOf(tree);
  const paths = [...new Set([...earlier.keys(), ...now.keys()])].sort();
  // The manifest's template fingerprint changes with every template edit: snapshots show its place, not its value.
  const shown = (content: string | undefined) => content?.replace(/"templates": "sha256:[0-9a-f]+"/, '"templates": "sha256:<fingerprint>"') ?? null;
  return Object.fromEntries(paths.filter((p) => earlier.get(p) !== now.get(p)).map((p) => [p, shown(now.get(p))]));
}

export function readJson<T = any>(tree: Tree, path: string): T {
  return JSON.parse(tree.read(path, 'utf-8') ?? 'null') as T;
}
