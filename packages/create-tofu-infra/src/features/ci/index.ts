import type { CiTarget } from '../../spec/options.js';
import type { CiFeature } from '../types.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';

/** Every CI target, chosen by --ci. */
export const ciTargets: Record<CiTarget, CiFeature> = { gitlab, github };
