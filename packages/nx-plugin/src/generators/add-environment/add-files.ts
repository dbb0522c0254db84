import type { Tree } from '@nx/devkit';
import type { RootPlan } from '../../core.js';
import { listFiles } from '../../repo/files.js';
import { addedPaths } from '../../repo/render.js';
import type { NormalizedAddEnvironment } from './schema.js';

// The files that make a root a given environment's: its state, its key and its values. With
// --from they are still rendered for the new environment, never copied from the source.
const OWN_FILES = new Set(['backend.tf', 'encryption.tf', 'terraform.tfvars']);

/** The source environment's root matching a new root (same kind and service). */
function sourceRoot(o: NormalizedAddEnvironment, root: RootPlan): RootPlan | undefined {
  return o.repo.roots.find((r) => r.kind === root.kind && r.service === root.service && r.stateEnv === o.from);
}

/** The new root's files copied from the source root, with its own backend, encryption and tfvars rendered. */
function copiedRoot(tree: Tree, o: NormalizedAddEnvironment, root: RootPlan): [string, string][] {
  const source = sourceRoot(o, root);
  if (!source) return [];
  const copied = listFiles(tree, source.path)
    .filter((path) => !OWN_FILES.has(path.slice(source.path.length + 1)))
    .map((path): [string, string] => [`${root.path}${path.slice(source.path.length)}`, tree.read(path, 'utf-8') ?? '']);
  const own = [...OWN_FILES].flatMap((name): [string, string][] => {
    const content = o.after.get(`${root.path}/${name}`);
    return content === undefined ? [] : [[`${root.path}/${name}`, content]];
  });
  return [...copied, ...own];
}

/**
 * Writes what the environment adds: the files new in the rendering (its roots, or its tfvars in
 * the workspace layout), or with --from the source environment's roots, made the new one's.
 */
export function addFiles(tree: Tree, o: NormalizedAddEnvironment): string[] {
  const inNewRoot = (path: string) => o.newRoots.some((root) => path.startsWith(`${root.path}/`));
  const rendered = addedPaths(o.before, o.after)
    .filter((path) => o.from === undefined || !inNewRoot(path))
    .map((path): [string, string] => [path, o.after.get(path)!]);
  const copied = o.from === undefined ? [] : o.newRoots.flatMap((root) => copiedRoot(tree, o, root));
  const files = [...rendered, ...copied];
  for (const [path, content] of files) tree.write(path, content);
  return files.map(([path]) => path);
}
