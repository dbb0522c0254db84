import { jsonFile } from '../../render/files.js';
import { moduleFlags, regionsValue, renderAwsRoot } from '../../render/root.js';
import { sizingFor } from '../../render/sizing.js';
import type { LayoutFeature, RootPlan } from '../types.js';

const ROOT: RootPlan = { path: 'infra', kind: 'workspace', stateEnv: undefined };

/** One root (infra/) whose locals key off terraform.workspace; environments/<env>.tfvars per environment; a state per workspace. */
export const workspace: LayoutFeature = {
  kind: 'workspace',
  summary: 'one root (infra/) with a workspace per environment; environments/<env>.tfvars (nearly identical environments)',
  roots: () => [ROOT],
  files(spec, t, opts = {}) {
    const data = { modulesPath: '../modules', firstEnv: spec.envs[0]! };
    return [
      ...renderAwsRoot(t, spec, ROOT, {
        encryption: opts.encryption,
        folders: ['stack', 'workspace'],
        env: undefined,
        data,
        environmentVariable: false,
        primaryRegionExpr: 'local.primary_region',
        providerRegionsExpr: 'local.all_regions',
      }),
      jsonFile(`${ROOT.path}/regions.auto.tfvars.json`, {
        environments: Object.fromEntries(spec.envs.map((env) => [env, regionsValue(spec.regions)])),
      }),
      ...spec.envs.map((env) => ({
        path: `${ROOT.path}/environments/${env}.tfvars`,
        content: t.render('roots/workspace-env.tfvars.hbs', { environment: env, project: spec.name, modules: moduleFlags(spec.modules), sizing: sizingFor(env) }),
      })),
    ];
  },
};
