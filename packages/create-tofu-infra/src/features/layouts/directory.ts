import { jsonFile } from '../../render/files.js';
import { regionsValue, renderAwsRoot, upToTop } from '../../render/root.js';
import { sizingFor } from '../../render/sizing.js';
import type { LayoutFeature, RootPlan } from '../types.js';

const envRoot = (env: string): RootPlan => ({ path: `environments/${env}`, kind: 'environment', stateEnv: env });

/** modules/ plus environments/<env>/: each environment is a complete root with its own state and key. */
export const directory: LayoutFeature = {
  kind: 'directory',
  summary: 'modules/ + environments/<env>/, one complete root per environment (full isolation)',
  roots: (spec) => spec.envs.map(envRoot),
  files(spec, t, opts = {}) {
    return spec.envs.flatMap((env) => {
      const root = envRoot(env);
      return [
        ...renderAwsRoot(t, spec, root, {
          encryption: opts.encryption,
          folders: ['stack', 'environment'],
          env,
          data: { environment: env, modulesPath: `${upToTop(root.path)}/modules`, sizing: sizingFor(env) },
        }),
        jsonFile(`${root.path}/regions.auto.tfvars.json`, regionsValue(spec.regions)),
      ];
    });
  },
};
