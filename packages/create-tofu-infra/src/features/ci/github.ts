import { renderFolder } from '../../engine/files.js';
import type { CiFeature } from '../types.js';
import { ciData } from './data.js';

/** GitHub Actions: .github/workflows/ and the setup-tofu action they share. */
export const github: CiFeature = {
  hint: 'GitHub Actions (.github/workflows/): validate, plan on pull requests, apply through environment protection',
  files: (spec, t, roots) => renderFolder(t, 'ci/github', '.github', ciData(spec, roots)),
  owns: (path) => path.startsWith('.github/workflows/'),
  codeOwnerPaths: ['.github/'],
};
