import { MANIFEST_FILE } from '../repository/manifest.js';
import { mergeText, type ConflictStyle, type MergeLabels } from './merge.js';

/** Every file of a repository by path, as one version of the generator renders it or as it is on disk. */
export type Files = ReadonlyMap<string, string>;

/**
 * What upgrade does with one file of the generated set:
 * - `create`: new in the template, absent here: written;
 * - `update`: the user never changed it, the template did: replaced;
 * - `merge`: both changed it, on different lines: the three-way merge is written;
 * - `conflict`: both changed the same lines: written with conflict markers (or a .rej sidecar);
 * - `delete`: the template dropped it and the user never changed it: removed;
 * - `keep`: the user changed it and the template did not, the template dropped a file the user
 *   changed, or a *.tfvars file whose values the user set: left as it is;
 * - `deleted`: the user deleted it: left deleted;
 * - `current`: already what the template renders.
 */
export type Action = 'create' | 'update' | 'merge' | 'conflict' | 'delete' | 'keep' | 'deleted' | 'current';

export interface FilePlan {
  path: string;
  action: Action;
  /** The file's text after the upgrade (create, update, merge, conflict). */
  content?: string;
  /** Style `rej`: the sidecar of a conflict. */
  rejects?: string;
  /** Why, for keep and deleted. */
  reason?: string;
}

export interface PlanOptions {
  labels: MergeLabels;
  conflictStyle?: ConflictStyle;
}

/** Files whose values belong to whoever set them: upgrade never merges into them once edited. */
const VALUES = /\.tfvars(\.json)?$/;

/**
 * The pure planner: for every path the old or the new generator renders (the manifest aside,
 * which upgrade rewrites itself), what happens to it, from the base (the old generator's
 * rendering of this repository), the new rendering and the files as they are (ours).
 */
export function planUpgrade(base: Files, next: Files, ours: Files, opts: PlanOptions): FilePlan[] {
  const paths = [...new Set([...base.keys(), ...next.keys()])].filter((p) => p !== MANIFEST_FILE).sort();
  return paths.map((path) => planFile(path, base.get(path), next.get(path), ours.get(path), opts));
}

function planFile(path: string, base: string | undefined, next: string | undefined, ours: string | undefined, opts: PlanOptions): FilePlan {
  if (next === undefined) {
    if (ours === undefined) return { path, action: 'current' };
    if (ours === base) return { path, action: 'delete' };
    return { path, action: 'keep', reason: 'the new version no longer generates it, and you changed it' };
  }
  if (ours === next) return { path, action: 'current' };
  if (ours === undefined) {
    return base === undefined ? { path, action: 'create', content: next } : { path, action: 'deleted', reason: 'you deleted it' };
  }
  if (ours === base) return { path, action: 'update', content: next };
  if (next === base) return { path, action: 'keep', reason: 'you changed it; the template did not' };
  if (VALUES.test(path)) return { path, action: 'keep', reason: 'values you set are never changed (compare with the template by hand)' };
  // A file the user made at a path the new version now generates merges against an empty base.
  const merged = mergeText(base ?? '', ours, next, opts.labels, opts.conflictStyle);
  if (merged.conflicts === 0) return { path, action: 'merge', content: merged.text };
  return { path, action: 'conflict', content: merged.text, ...(merged.rejects === undefined ? {} : { rejects: merged.rejects }) };
}

/** The plans that change something on disk. */
export function changesOf(plan: FilePlan[]): FilePlan[] {
  return plan.filter((f) => f.action !== 'current' && f.action !== 'keep' && f.action !== 'deleted');
}
