import type { BackendFeature } from '../types.js';

/** Local state files, for trying a repository out. Never for a team. */
export const local: BackendFeature = {
  kind: 'local',
  summary: 'local state files, for trying the repository out (never for a team)',
  backendBlock(t) {
    return t.render('backends/local.tf.hbs', {});
  },
  remoteState(ctx, from) {
    const up = '../'.repeat(from.path.split('/').length);
    return { backend: 'local', config: { path: { expr: `"\${path.module}/${up}${ctx.root.path}/terraform.tfstate"` } } };
  },
};
