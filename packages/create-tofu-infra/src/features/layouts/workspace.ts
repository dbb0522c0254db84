import { jsonFile } from '../../engine/files.js';
import type { HclExpression } from '../../engine/hcl.js';
import { regionSettings, REGIONS_FILE } from '../../spec/regions.js';
import type { RootPlan, Spec } from '../../spec/spec.js';
import { keyProviderOf } from '../key-providers/index.js';
import { moduleFlags, renderAwsRoot, type ModuleFlags } from '../roots/aws-root.js';
import { sizingFor, type Sizing } from '../roots/sizing.js';
import type { LayoutFeature } from '../types.js';

const ROOT: RootPlan = { path: 'infra', kind: 'workspace', stateEnv: undefined };

/** The environment of the selected workspace, as roots/workspace/locals.tf defines it: its key encrypts the state. */
const KEY_ENVIRONMENT: HclExpression = { expr: 'local.key_environment' };

/** Fields of roots/stack and roots/workspace. */
export interface WorkspaceRootData {
  modulesPath: string;
  firstEnv: string;
  /** Whether this key provider's encryption.tf reads local.key_environment (keys named by environment: aws_kms, gcp_kms, openbao). */
  readsKeyEnvironment: boolean;
}

/** Whether the chosen key provider names its key by environment, so that encryption.tf reads KEY_ENVIRONMENT. */
function readsKeyEnvironment(spec: Spec): boolean {
  const provider = keyProviderOf(spec.keyProvider);
  return provider.type !== undefined && JSON.stringify(provider.data(spec, 'workspace', KEY_ENVIRONMENT)).includes(KEY_ENVIRONMENT.expr);
}

/** Template data of roots/workspace-env.tfvars.hbs. */
export interface WorkspaceEnvData {
  environment: string;
  project: string;
  modules: ModuleFlags;
  sizing: Sizing;
}

/** One root (infra/) whose locals key off terraform.workspace; environments/<env>.tfvars per environment; a state per workspace. */
export const workspace: LayoutFeature = {
  hint: 'one root (infra/) with a workspace per environment; environments/<env>.tfvars (nearly identical environments)',
  roots: () => [ROOT],
  files(spec, t, opts) {
    return [
      ...renderAwsRoot<WorkspaceRootData>(t, spec, ROOT, {
        encryption: opts.encryption,
        folders: ['stack', 'workspace'],
        key: { env: undefined, keyEnv: KEY_ENVIRONMENT },
        data: { modulesPath: '../modules', firstEnv: spec.envs[0]!, readsKeyEnvironment: readsKeyEnvironment(spec) },
        workspaceRegions: true,
      }),
      jsonFile(`${ROOT.path}/${REGIONS_FILE}`, {
        environments: Object.fromEntries(spec.envs.map((env) => [env, regionSettings(spec.regions)])),
      }),
      ...spec.envs.map((env) => ({
        path: `${ROOT.path}/environments/${env}.tfvars`,
        content: t.render<WorkspaceEnvData>('roots/workspace-env.tfvars.hbs', {
          environment: env,
          project: spec.name,
          modules: moduleFlags(spec.modules),
          sizing: sizingFor(env),
        }),
      })),
    ];
  },
  stateEnvironments: (spec) => [...spec.envs],
  reservedEnvironments: {
    default: 'cannot be an environment in the workspace layout: it is the workspace tofu starts in, and an apply there must never hit a real environment',
  },
  services: false,
  readme(spec) {
    const env = spec.envs[0]!;
    return {
      paths: [
        ['infra/', 'the single root; `tofu workspace select <env>` picks the environment'],
        ['infra/environments/<env>.tfvars', 'values per environment'],
      ],
      firstRun: [
        'cd infra',
        `TF_VAR_new_workspace=${env} tofu init   # the default workspace (never applied) borrows ${env}'s key: ${env}'s credentials suffice, as in CI`,
        `TF_VAR_new_workspace=${env} tofu workspace new ${env}   # once per environment (init refuses a TF_WORKSPACE that does not exist); its first state gets its own key`,
        `export TF_WORKSPACE=${env}   # before init: the workspace also picks the encryption key`,
        'tofu init -reconfigure',
        `tofu plan -var-file=environments/${env}.tfvars -out=${env}.tfplan`,
        `tofu apply ${env}.tfplan`,
      ],
    };
  },
};
