import { bootstrapNeeded, BOOTSTRAP_ROOT } from '../features/bootstrap.js';
import type { Spec } from '../spec/spec.js';
import { checkSpec } from './check.js';

/** One command to run next, and why, as the CLI prints it. */
export interface NextStep {
  command: string;
  why: string;
}

const EXAMPLE_ENVS = ['staging', 'qa', 'uat', 'test'];
const EXAMPLE_REGIONS = ['eu-central-1', 'us-west-2', 'ap-southeast-2', 'ca-central-1'];

/** The first candidate that the repository lacks and checkSpec accepts once added, so the printed command works verbatim. */
function exampleEnv(spec: Spec): string | undefined {
  return EXAMPLE_ENVS.find((env) => !spec.envs.includes(env) && checkSpec({ ...spec, envs: [...spec.envs, env] }).length === 0);
}

function exampleRegion(spec: Spec): string | undefined {
  return EXAMPLE_REGIONS.find((name) => !spec.regions.some((r) => r.name === name));
}

/**
 * What to run after scaffolding, each command copy-pasteable from the repository's top: install
 * Nx and the plugin, grow the repository with the generators, validate every root. Nx is a local
 * dependency, so every nx command goes through npx.
 */
export function nextSteps(spec: Spec): NextStep[] {
  const env = exampleEnv(spec);
  const region = exampleRegion(spec);
  return [
    { command: 'less README.md', why: 'first run: the credentials to export, each step; layout' },
    ...(bootstrapNeeded(spec)
      ? [{ command: `(cd ${BOOTSTRAP_ROOT.path} && tofu init && tofu apply)`, why: 'state buckets, keys, lock tables, CI policies' }]
      : []),
    { command: 'npm install', why: 'Nx and the create-tofu-infra plugin' },
    ...(env ? [{ command: `npx nx g add-environment ${env}`, why: 'an environment: its roots, state, key, CI jobs' }] : []),
    ...(region ? [{ command: `npx nx g add-region ${region}`, why: 'a region, with the next free VPC CIDR' }] : []),
    { command: 'npx nx run-many -t validate', why: 'tofu validate in every root (cached)' },
  ];
}
