import { hclTemplate } from '../../engine/hcl.js';
import type { BackendFeature } from '../types.js';

/** Local state files, for trying a repository out. Never for a team. */
export const local: BackendFeature<Record<string, never>> = {
  hint: 'local state files, for trying the repository out (never for a team)',
  type: 'local',
  data: () => ({}),
  remoteState(ctx, from) {
    const up = '../'.repeat(from.path.split('/').length);
    return { path: hclTemplate({ expr: 'path.module' }, `/${up}${ctx.root.path}/terraform.tfstate`) };
  },
  nameProblems: () => [],
  ciVariables: () => [],
};
