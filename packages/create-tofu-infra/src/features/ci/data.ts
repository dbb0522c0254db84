import { REQUIRED_TOFU } from '../../spec/options.js';
import type { Spec } from '../../spec/spec.js';
import type { RootPlan } from '../types.js';

/** Pinned CI tool versions, in one place for both pipelines. */
export const CI_PINS = {
  tofuVersion: '1.12.6',
  tofuImage: 'ghcr.io/opentofu/opentofu:1.12.6',
  checkoutAction: 'actions/checkout@v5',
  setupOpentofuAction: 'opentofu/setup-opentofu@v1',
  uploadArtifactAction: 'actions/upload-artifact@v4',
  downloadArtifactAction: 'actions/download-artifact@v5',
  awsCredentialsAction: 'aws-actions/configure-aws-credentials@v5',
} as const;

/** Template data shared by every CI target: the roots to validate and the environments to plan. */
export function ciData(spec: Spec, roots: RootPlan[]) {
  const planned = roots.filter((r) => r.kind !== 'bootstrap');
  return {
    pins: CI_PINS,
    requiredTofu: REQUIRED_TOFU,
    layout: spec.layout,
    roots: roots.map((r) => r.path),
    plans: planned.flatMap((r): { root: string; env: string; id: string; workspace: string | false; varFile: string | false }[] =>
      r.kind === 'workspace'
        ? spec.envs.map((env) => ({ root: r.path, env, id: env, workspace: env, varFile: `environments/${env}.tfvars` }))
        : [{ root: r.path, env: r.stateEnv ?? 'shared', id: r.path.replaceAll('/', '-'), workspace: false, varFile: false }],
    ),
    keyProvider: spec.keyProvider,
    backend: spec.backend,
  };
}
