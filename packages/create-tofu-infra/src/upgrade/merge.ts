import { diff3Merge } from 'node-diff3';

/** How a conflict is written: git-style markers in the file, or the user's side kept and the hunks in `<file>.rej`. */
export type ConflictStyle = 'markers' | 'rej';

export interface MergeResult {
  /** The merged text; with conflicts, the markers (style `markers`) or the user's side (style `rej`). */
  text: string;
  /** How many hunks conflict (both sides changed the same lines differently). */
  conflicts: number;
  /** Style `rej` with conflicts: the sidecar's text, each hunk as the user has it and as the template has it. */
  rejects?: string;
}

/** Labels of the two sides in conflict markers, as git prints branch names. */
export interface MergeLabels {
  ours: string;
  theirs: string;
}

const lines = (text: string) => text.split('\n');

/**
 * The three-way merge of one file, line by line (node-diff3, the diff3 algorithm of GNU diffutils
 * and git): what the user changed since `base` and what the template changed since `base` are
 * both applied; where both changed the same lines differently, a conflict is written.
 */
export function mergeText(base: string, ours: string, theirs: string, labels: MergeLabels, style: ConflictStyle = 'markers'): MergeResult {
  if (ours === theirs) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  if (theirs === base) return { text: ours, conflicts: 0 };
  const out: string[] = [];
  const rejects: string[] = [];
  let conflicts = 0;
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    conflicts += 1;
    const { a, b } = region.conflict!;
    if (style === 'rej') {
      out.push(...a);
      rejects.push(`@@ conflict ${conflicts}: ${labels.ours} @@`, ...a, `@@ ${labels.theirs} @@`, ...b, '');
    } else {
      out.push(`<<<<<<< ${labels.ours}`, ...a, '=======', ...b, `>>>>>>> ${labels.theirs}`);
    }
  }
  const text = out.join('\n');
  return conflicts > 0 && style === 'rej' ? { text, conflicts, rejects: rejects.join('\n') } : { text, conflicts };
}
