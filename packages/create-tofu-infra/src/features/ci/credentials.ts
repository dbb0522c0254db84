import type { Spec } from '../../spec/spec.js';
import { backendOf } from '../backends/index.js';
import { keyProviderOf } from '../key-providers/index.js';
import { readStateEnvironments } from '../layouts/index.js';
import { AWS_KEYS, type CiVariable } from './variables.js';

/** Everything a plan, apply or drift job needs from its environment, for this spec (validate needs none of it), each once. */
export function ciVariables(spec: Spec): CiVariable[] {
  const provider = keyProviderOf(spec.keyProvider);
  const reads = readStateEnvironments(spec).flatMap((env) => provider.readSecret?.(env).variable ?? []);
  const all = [...AWS_KEYS, ...provider.ciVariables(spec), ...reads, ...backendOf(spec).ciVariables(spec)];
  return all.filter((v, i) => all.findIndex((w) => w.name === v.name) === i);
}

/** GitHub's expression for a variable: per-environment names end in _<ENV> (inputs.key of the reusable workflow). */
function githubExpression(v: CiVariable): string | undefined {
  if (!v.github) return undefined;
  const { store, name } = v.github;
  return v.perEnvironment ? `\${{ ${store}[format('${name}_{0}', inputs.key)] }}` : `\${{ ${store}.${name} }}`;
}

/** The credentials view the pipeline templates read. */
export function ciCredentials(spec: Spec) {
  const all = ciVariables(spec);
  return {
    /** Set in GitLab Settings > CI/CD > Variables (listed in the pipeline header). */
    gitlabProject: all.filter((v) => v.gitlabValue === undefined),
    /** Written in .gitlab-ci.yml from predefined variables. */
    gitlabYaml: all.filter((v) => v.gitlabValue !== undefined).map((v) => ({ name: v.name, value: v.gitlabValue! })),
    /** Job environment of GitHub plan/apply/drift jobs. */
    githubEnv: all.flatMap((v) => (v.github && !v.github.file ? [{ name: v.name, value: githubExpression(v)! }] : [])),
    /** Secrets GitHub writes to a file whose path is the variable (service account keys). */
    githubFiles: all.flatMap((v) => (v.github?.file ? [{ name: v.name, secretName: v.github.name.toLowerCase(), value: githubExpression(v)! }] : [])),
    /** Repository secrets and variables to create on GitHub (listed in the workflow header). */
    githubSettings: all.flatMap((v) => (v.github ? [{ ...v.github, perEnvironment: v.perEnvironment, description: v.description }] : [])),
    /** A remark of the backend on credentials it reads beyond these. */
    remark: backendOf(spec).ciRemark ?? false,
  };
}
