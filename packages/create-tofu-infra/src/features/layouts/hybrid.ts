import { backends } from '../backends/index.js';
import { hclAttributes } from '../../render/hcl.js';
import { jsonFile, renderFolder } from '../../render/files.js';
import { moduleFlags, regionsValue, renderAwsRoot, upToTop } from '../../render/root.js';
import { sizingFor } from '../../render/sizing.js';
import { AWS_PROVIDER_CONSTRAINT, REQUIRED_TOFU } from '../../spec/options.js';
import type { Spec } from '../../spec/spec.js';
import type { LayoutFeature, RootPlan } from '../types.js';

/** The hybrid layout's shared root keeps its state and key under this pseudo-environment. */
export const SHARED_ENV = 'shared';

const sharedRoot: RootPlan = { path: 'shared', kind: 'shared', stateEnv: SHARED_ENV };
const serviceRoot = (service: string, env: string): RootPlan => ({ path: `services/${service}/envs/${env}`, kind: 'service', stateEnv: env, service });

function serviceRoots(spec: Spec): RootPlan[] {
  return spec.services.flatMap((service) => spec.envs.map((env) => serviceRoot(service, env)));
}

/**
 * modules/, a shared/ root managed once (the network of every region), and services/<svc>/ with
 * their own modules and one root per environment reading the shared outputs via terraform_remote_state.
 */
export const hybrid: LayoutFeature = {
  kind: 'hybrid',
  summary: 'modules/ + shared/ (managed once) + services/<svc>/{modules,envs/<env>} reading shared outputs',
  roots: (spec) => [sharedRoot, ...serviceRoots(spec)],
  files(spec, t, opts = {}) {
    const flags = moduleFlags(spec.modules);
    const shared = [
      ...renderAwsRoot(t, spec, sharedRoot, {
        encryption: opts.encryption,
        folders: ['shared', 'environment'],
        env: SHARED_ENV,
        data: {
          environment: SHARED_ENV,
          modulesPath: `${upToTop(sharedRoot.path)}/modules`,
          modules: { network: true, application: false, database: false },
          sizing: sizingFor('prod'),
        },
      }),
      jsonFile(`${sharedRoot.path}/regions.auto.tfvars.json`, regionsValue(spec.regions)),
    ];
    const perService = spec.services.flatMap((service) => [
      ...renderFolder(t, 'service-modules/stack', `services/${service}/modules/stack`, { modules: flags, modulesPath: '../../../../modules' }),
      {
        path: `services/${service}/modules/stack/versions.tf`,
        content: t.render('roots/base/versions.tf.hbs', { requiredTofu: REQUIRED_TOFU, awsConstraint: AWS_PROVIDER_CONSTRAINT }),
      },
      ...spec.envs.flatMap((env) => {
        const root = serviceRoot(service, env);
        const remote = backends[spec.backend].remoteState({ spec, root: sharedRoot, env: SHARED_ENV }, root);
        return [
          ...renderAwsRoot(t, spec, root, {
          encryption: opts.encryption,
            folders: ['service', 'environment'],
            env,
            reads: [{ address: 'shared', env: SHARED_ENV }],
            data: {
              environment: env,
              service,
              modules: { network: false, application: flags.application, database: flags.database },
              stackPath: '../../modules/stack',
              remoteStateBackend: remote.backend,
              remoteStateConfig: hclAttributes(remote.config, '    '),
              sizing: sizingFor(env),
            },
          }),
          jsonFile(`${root.path}/regions.auto.tfvars.json`, regionsValue(spec.regions)),
        ];
      }),
    ]);
    return [...shared, ...perService];
  },
};
