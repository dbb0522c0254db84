import { renderFolder } from '../../engine/files.js';
import type { CiFeature } from '../types.js';
import { ciData } from './data.js';

/** GitLab CI: .gitlab-ci.yml. */
export const gitlab: CiFeature = {
  hint: 'GitLab CI (.gitlab-ci.yml): validate, plan per environment, manual apply on the default branch',
  files: (spec, t, roots) => renderFolder(t, 'ci/gitlab', '', ciData(spec, roots)),
  owns: (path) => path === '.gitlab-ci.yml',
  codeOwnerPaths: ['.gitlab-ci.yml'],
};
