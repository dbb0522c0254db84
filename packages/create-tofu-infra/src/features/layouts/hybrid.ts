import { renderFolder, jsonFile } from '../../engine/files.js';
import type { HclValue } from '../../engine/hcl.js';
import type { Templates } from '../../engine/templates.js';
import type { ModuleName } from '../../spec/options.js';
import { regionSettings, REGIONS_FILE } from '../../spec/regions.js';
import type { GeneratedFile, RenderOptions, RootPlan, Spec } from '../../spec/spec.js';
import { backendOf } from '../backends/index.js';
import { moduleFlags, renderAwsRoot, upToTop, VERSIONS, type ModuleFlags } from '../roots/aws-root.js';
import { sizingFor, type Sizing } from '../roots/sizing.js';
import type { LayoutFeature } from '../types.js';

/** The hybrid layout's shared root keeps its state and key under this pseudo-environment. */
const SHARED_ENV = 'shared';

const sharedRoot: RootPlan = { path: 'shared', kind: 'shared', stateEnv: SHARED_ENV };
const serviceRoot = (service: string, env: string): RootPlan => ({ path: `services/${service}/envs/${env}`, kind: 'service', stateEnv: env, service });

/** Fields of roots/shared and roots/environment. */
export interface SharedRootData {
  environment: string;
  modulesPath: string;
  modules: ModuleFlags;
  sizing: Sizing;
}

/** Fields of roots/service and roots/environment: the service reads shared/ through terraform_remote_state. */
export interface ServiceRootData {
  environment: string;
  service: string;
  modules: ModuleFlags;
  stackPath: string;
  remoteState: { backend: string; config: Record<string, HclValue> };
  sizing: Sizing;
}

function sharedFiles(spec: Spec, t: Templates, opts: RenderOptions): GeneratedFile[] {
  return [
    ...renderAwsRoot<SharedRootData>(t, spec, sharedRoot, {
      encryption: opts.encryption,
      folders: ['shared', 'environment'],
      key: { env: SHARED_ENV, keyEnv: SHARED_ENV },
      data: {
        environment: SHARED_ENV,
        modulesPath: `${upToTop(sharedRoot.path)}/modules`,
        modules: { network: true, application: false, database: false },
        sizing: sizingFor('prod'),
      },
    }),
    jsonFile(`${sharedRoot.path}/${REGIONS_FILE}`, regionSettings(spec.regions)),
  ];
}

function serviceRootFiles(spec: Spec, t: Templates, opts: RenderOptions, service: string, env: string): GeneratedFile[] {
  const root = serviceRoot(service, env);
  const backend = backendOf(spec);
  const flags = moduleFlags(spec.modules);
  return [
    ...renderAwsRoot<ServiceRootData>(t, spec, root, {
      encryption: opts.encryption,
      folders: ['service', 'environment'],
      key: { env, keyEnv: env },
      reads: [{ address: 'shared', env: SHARED_ENV }],
      data: {
        environment: env,
        service,
        modules: { network: false, application: flags.application, database: flags.database },
        stackPath: '../../modules/stack',
        remoteState: { backend: backend.type, config: backend.remoteState({ spec, root: sharedRoot, env: SHARED_ENV }, root) },
        sizing: sizingFor(env),
      },
    }),
    jsonFile(`${root.path}/${REGIONS_FILE}`, regionSettings(spec.regions)),
  ];
}

/** The shared modules a service's stack calls (network belongs to the shared root). */
const SERVICE_MODULES: readonly ModuleName[] = ['application', 'database'];

/** services/<svc>/modules/stack: the service's own module, calling the shared modules. */
function serviceModuleFiles(spec: Spec, t: Templates, service: string): GeneratedFile[] {
  const dir = `services/${service}/modules/stack`;
  return [
    ...renderFolder(t, 'service-modules/stack', dir, {
      modules: moduleFlags(spec.modules),
      modulesPath: '../../../../modules',
      // The service modules are what reads the stack's inputs; without them the inputs wait for the user's own resources.
      inputsUnused: !spec.modules.some((m) => SERVICE_MODULES.includes(m)),
    }),
    { path: `${dir}/versions.tf`, content: t.render('roots/base/versions.tf.hbs', VERSIONS) },
  ];
}

/**
 * modules/, a shared/ root managed once (the network of every region), and services/<svc>/ with
 * their own modules and one root per environment reading the shared outputs via terraform_remote_state.
 */
export const hybrid: LayoutFeature = {
  hint: 'modules/ + shared/ (managed once) + services/<svc>/{modules,envs/<env>} reading shared outputs',
  roots: (spec) => [sharedRoot, ...spec.services.flatMap((service) => spec.envs.map((env) => serviceRoot(service, env)))],
  files: (spec, t, opts) => [
    ...sharedFiles(spec, t, opts),
    ...spec.services.flatMap((service) => [
      ...serviceModuleFiles(spec, t, service),
      ...spec.envs.flatMap((env) => serviceRootFiles(spec, t, opts, service, env)),
    ]),
  ],
  stateEnvironments: (spec) => [SHARED_ENV, ...spec.envs],
  reservedEnvironments: {
    [SHARED_ENV]: "cannot be an environment in the hybrid layout: it is the shared root's, whose state and key are named after it",
  },
  services: true,
  remoteStateReads: (_spec, env) => (env === SHARED_ENV ? [] : [SHARED_ENV]),
  readme: (spec, runAs) => ({
    paths: [
      ['shared/', 'infrastructure shared by all services, managed once (the network of each region)'],
      ['services/<svc>/modules/', "the service's own modules"],
      ['services/<svc>/envs/<env>/', 'one root per service and environment, reading `shared/` outputs'],
    ],
    firstRun: [
      `(cd shared && ${runAs(SHARED_ENV)}tofu init && tofu apply)   # shared/ is an environment of its own: its own values`,
      `cd services/${spec.services[0] ?? ''}/envs/${spec.envs[0]!}`,
      'tofu init',
      'tofu plan -out=plan.tfplan',
      'tofu apply plan.tfplan',
    ],
  }),
};
