import { renderFolder } from '../../render/files.js';
import type { CiFeature } from '../types.js';
import { ciData } from './data.js';

/** GitLab CI: .gitlab-ci.yml. */
export const gitlab: CiFeature = {
  kind: 'gitlab',
  summary: 'GitLab CI (.gitlab-ci.yml): validate, plan per environment, manual apply on the default branch',
  files: (spec, t, roots) => renderFolder(t, 'ci/gitlab', '', ciData(spec, roots)),
};
