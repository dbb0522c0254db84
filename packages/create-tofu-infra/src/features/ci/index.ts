import { featureOf } from '../table.js';
import type { CiFeature } from '../types.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';

/** Every CI target, chosen by --ci: its key is the flag value. */
const ciTargets = { gitlab, github } satisfies Record<string, CiFeature>;

export type CiTarget = keyof typeof ciTargets;
export const CI_TARGETS = Object.keys(ciTargets) as CiTarget[];

/** A CI target by its key (a checked spec's). */
export const ciTargetOf = (kind: string): CiFeature => featureOf<CiFeature>('CI target', ciTargets, kind);

/** A CI pipeline file of any target: regenerated from the templates whenever the environments change. */
export function isCiFile(path: string): boolean {
  return Object.values(ciTargets).some((target: CiFeature) => target.owns(path));
}
