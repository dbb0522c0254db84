import { jsonFile } from '../../engine/files.js';
import { regionSettings, REGIONS_FILE } from '../../spec/regions.js';
import type { RootPlan } from '../../spec/spec.js';
import { renderAwsRoot, upToTop } from '../roots/aws-root.js';
import { sizingFor, type Sizing } from '../roots/sizing.js';
import type { LayoutFeature } from '../types.js';

/** Fields of roots/stack and roots/environment. */
export interface EnvironmentRootData {
  environment: string;
  modulesPath: string;
  sizing: Sizing;
}

const envRoot = (env: string): RootPlan => ({ path: `environments/${env}`, kind: 'environment', stateEnv: env });

/** modules/ plus environments/<env>/: each environment is a complete root with its own state and key. */
export const directory: LayoutFeature = {
  hint: 'modules/ + environments/<env>/, one complete root per environment (full isolation)',
  roots: (spec) => spec.envs.map(envRoot),
  files(spec, t, opts) {
    return spec.envs.flatMap((env) => {
      const root = envRoot(env);
      return [
        ...renderAwsRoot<EnvironmentRootData>(t, spec, root, {
          encryption: opts.encryption,
          folders: ['stack', 'environment'],
          key: { env, keyEnv: env },
          data: { environment: env, modulesPath: `${upToTop(root.path)}/modules`, sizing: sizingFor(env) },
        }),
        jsonFile(`${root.path}/${REGIONS_FILE}`, regionSettings(spec.regions)),
      ];
    });
  },
  stateEnvironments: (spec) => [...spec.envs],
  reservedEnvironments: {},
  services: false,
  readme: (spec) => ({
    paths: [['environments/<env>/', 'one complete root per environment: its own backend, key, variables and regions']],
    firstRun: [`cd environments/${spec.envs[0]!}`, 'tofu init', 'tofu plan -out=plan.tfplan', 'tofu apply plan.tfplan'],
  }),
};
