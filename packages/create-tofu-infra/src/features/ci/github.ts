import { renderFolder } from '../../render/files.js';
import type { CiFeature } from '../types.js';
import { ciData } from './data.js';

/** GitHub Actions: .github/workflows/. */
export const github: CiFeature = {
  kind: 'github',
  summary: 'GitHub Actions (.github/workflows/): validate, plan on pull requests, apply through environment protection',
  files: (spec, t, roots) => renderFolder(t, 'ci/github', '.github', ciData(spec, roots)),
};
