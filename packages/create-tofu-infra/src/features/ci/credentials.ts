import type { Spec } from '../../spec/spec.js';
import { backendOf } from '../backends/index.js';
import { keyProviderOf } from '../key-providers/index.js';
import { readStateEnvironments } from '../layouts/index.js';
import type { CredentialsProfile } from '../types.js';
import { AWS_ROLES, type CiVariable } from './variables.js';

/** An environment's suffix in GitHub setting names: prod-eu -> PROD_EU. */
export const envKey = (env: string) => env.toUpperCase().replaceAll('-', '_');

/** Everything a plan, apply or drift job needs from its environment, for this spec (validate needs none of it), each once. */
export function ciVariables(spec: Spec): CiVariable[] {
  const provider = keyProviderOf(spec.keyProvider);
  const reads = readStateEnvironments(spec).flatMap((env) => provider.readSecret?.(env).variable ?? []);
  const all = [...AWS_ROLES, ...provider.ciVariables(spec), ...reads, ...backendOf(spec).ciVariables(spec)];
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
    /** Secrets and variables to create on GitHub (listed in the workflow header): per-environment ones in the environments. */
    githubSettings: all.flatMap((v) => (v.github ? [{ ...v.github, perEnvironment: v.perEnvironment, description: v.description }] : [])),
    /** A remark of the backend on credentials it reads beyond these. */
    remark: backendOf(spec).ciRemark ?? false,
    /** Shell lines writing the backend's credentials profile from its variables, before init (a fresh runner: the file is the job's own). */
    profile: profileOf(spec, 'ci'),
  };
}

/**
 * The commands that fill the backend's named profile from its exported variables: on a
 * workstation through the AWS CLI (which keeps the user's other profiles), in a pipeline by writing
 * the runner's own credentials file. Values only ever come from the variables.
 */
export function profileCommands(profile: CredentialsProfile, where: 'readme' | 'ci'): string[] {
  const { name, accessKeyVariable: id, secretKeyVariable: secret } = profile;
  if (where === 'readme')
    return [`aws configure set aws_access_key_id "$${id}" --profile ${name}`, `aws configure set aws_secret_access_key "$${secret}" --profile ${name}`];
  return [
    'mkdir -p ~/.aws',
    `(umask 077 && printf '[${name}]\\naws_access_key_id = %s\\naws_secret_access_key = %s\\n' "$${id}" "$${secret}" >~/.aws/credentials)`,
  ];
}

function profileOf(spec: Spec, where: 'readme' | 'ci'): { name: string; commands: string[] } | false {
  const profile = backendOf(spec).profile;
  return profile ? { name: profile.name, commands: profileCommands(profile, where) } : false;
}

/** One `export` line of the README's first-run block. */
export interface ExportLine {
  name: string;
  placeholder: string;
  perEnvironment: boolean;
  description: string;
}

/**
 * The README's first-run credentials: the same variables the pipelines read (ciVariables), minus
 * what only a pipeline has (its OIDC role ARNs), as `export NAME='<placeholder>'` lines, then the
 * backend's profile commands and the key provider's note. Placeholders only, never a value.
 */
export function firstRunCredentials(spec: Spec): {
  exports: ExportLine[];
  perEnvironment: string[];
  profile: { name: string; commands: string[] } | false;
  note: string | false;
} {
  const exports = ciVariables(spec)
    .filter((v) => !v.ciOnly)
    .map(({ name, placeholder, perEnvironment, description }) => ({ name, placeholder, perEnvironment, description }));
  return {
    exports,
    perEnvironment: exports.filter((v) => v.perEnvironment).map((v) => v.name),
    profile: profileOf(spec, 'readme'),
    note: keyProviderOf(spec.keyProvider).credentialsNote ?? false,
  };
}

/** GitHub repository variables of the IAM roles each environment's jobs assume by OIDC (tofu-root.yml reads them). */
export const GITHUB_AWS_ROLE_VARIABLES = [
  { name: 'AWS_PLAN_ROLE_ARN', description: 'IAM role the plan and drift jobs assume (trusts pull requests and the default branch)' },
  { name: 'AWS_APPLY_ROLE_ARN', description: 'IAM role the apply job assumes (trusts the GitHub environment only)' },
];

/** One setting to create in a CI system, spelled out. */
export interface CiSetting {
  name: string;
  kind: string;
  description: string;
}

/** The README's CI setup: for each CI target of the spec, every setting its pipelines read, per environment spelled out. */
export function ciSetup(spec: Spec, environments: string[]): { github?: CiSetting[]; gitlab?: CiSetting[] } {
  const all = ciVariables(spec);
  const perEnv = (name: string, kind: string, description: string, per: boolean): CiSetting[] =>
    per ? environments.map((env) => ({ name: `${name}_${envKey(env)}`, kind, description: `${description} (${env})` })) : [{ name, kind, description }];
  const github = [
    ...GITHUB_AWS_ROLE_VARIABLES.flatMap((v) => perEnv(v.name, 'variable', v.description, true)),
    ...all.flatMap((v) =>
      v.github
        ? perEnv(
            v.github.name,
            v.github.store === 'secrets' ? 'secret' : 'variable',
            `${v.description}${v.github.file ? ' (the file content)' : ''}`,
            v.perEnvironment,
          )
        : [],
    ),
  ];
  const gitlab = all
    .filter((v) => v.gitlabValue === undefined)
    .map((v) => ({
      name: v.name,
      kind: [
        v.secret ? 'protected, masked' : 'variable',
        v.gitlabFile ? 'File type' : '',
        v.perEnvironment ? `one per environment scope: ${environments.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(', '),
      description: v.description,
    }));
  return { ...(spec.ci.includes('github') ? { github } : {}), ...(spec.ci.includes('gitlab') ? { gitlab } : {}) };
}
