import type { Spec } from '../../spec/spec.js';
import { keyProviders } from '../key-providers/index.js';

/**
 * One value tofu reads from its environment in CI. Secrets never appear in a pipeline file: on
 * GitLab they are protected, masked CI/CD variables (scoped to the environment when per
 * environment); on GitHub, repository secrets named per environment. AWS itself is not listed
 * for GitHub: it assumes an IAM role through OIDC there, with no stored key.
 */
export interface CiVariable {
  /** The environment variable tofu (or the provider) reads. */
  name: string;
  secret: boolean;
  /** A different value per environment (GitLab: scope the variable; GitHub: NAME_<ENV>). */
  perEnvironment: boolean;
  description: string;
  /** GitLab: a value built from predefined variables, written in .gitlab-ci.yml. Absent: set it in the project. */
  gitlabValue?: string;
  /** GitLab: a File variable (its value is written to a file and the variable holds the path). */
  gitlabFile?: boolean;
  /** GitHub: where the value comes from; absent when GitHub does not need it. A file secret is written to a temporary file first. */
  github?: { store: 'secrets' | 'vars'; name: string; file?: boolean };
}

const AWS_KEYS: CiVariable[] = [
  { name: 'AWS_ACCESS_KEY_ID', secret: true, perEnvironment: true, description: "access key of the environment's CI user (bootstrap's <project>-tofu-ci-<env> policy attached)" },
  { name: 'AWS_SECRET_ACCESS_KEY', secret: true, perEnvironment: true, description: 'its secret key' },
];

const GOOGLE: CiVariable = {
  name: 'GOOGLE_APPLICATION_CREDENTIALS',
  secret: true,
  perEnvironment: true,
  gitlabFile: true,
  description: 'a service account key (File variable) allowed to use the state bucket / crypto key of the environment',
  github: { store: 'secrets', name: 'GOOGLE_CREDENTIALS', file: true },
};

function keyProviderVariables(spec: Spec): CiVariable[] {
  switch (spec.keyProvider) {
    case 'pbkdf2':
      return [{ name: 'TF_VAR_state_passphrase', secret: true, perEnvironment: true, description: keyProviders.pbkdf2.environment[0]!.description, github: { store: 'secrets', name: 'STATE_PASSPHRASE' } }];
    case 'openbao':
      return [
        { name: 'BAO_ADDR', secret: false, perEnvironment: false, description: 'the OpenBao server address', github: { store: 'vars', name: 'BAO_ADDR' } },
        { name: 'BAO_TOKEN', secret: true, perEnvironment: true, description: keyProviders.openbao.environment[1]!.description, github: { store: 'secrets', name: 'BAO_TOKEN' } },
      ];
    case 'gcp_kms':
      return [GOOGLE, { name: 'TF_VAR_gcp_kms_project', secret: false, perEnvironment: false, description: 'the GCP project holding the state key ring', github: { store: 'vars', name: 'GCP_KMS_PROJECT' } }];
    case 'aws_kms':
    case 'none':
      return [];
  }
}

function backendVariables(spec: Spec): CiVariable[] {
  switch (spec.backend) {
    case 'http':
      return [
        { name: 'TF_HTTP_USERNAME', secret: false, perEnvironment: false, description: 'GitLab user of the state API', gitlabValue: 'gitlab-ci-token', github: { store: 'vars', name: 'TF_HTTP_USERNAME' } },
        { name: 'TF_HTTP_PASSWORD', secret: true, perEnvironment: false, description: "the job's own token (GitLab), or a token with the api scope", gitlabValue: '$CI_JOB_TOKEN', github: { store: 'secrets', name: 'TF_HTTP_PASSWORD' } },
        { name: 'TF_VAR_gitlab_project_id', secret: false, perEnvironment: false, description: 'the GitLab project keeping the state', gitlabValue: '$CI_PROJECT_ID', github: { store: 'vars', name: 'GITLAB_PROJECT_ID' } },
        { name: 'TF_VAR_gitlab_api_url', secret: false, perEnvironment: false, description: 'the GitLab API', gitlabValue: '$CI_API_V4_URL', github: { store: 'vars', name: 'GITLAB_API_URL' } },
      ];
    case 'gcs':
      return spec.keyProvider === 'gcp_kms' ? [] : [GOOGLE];
    case 'scaleway':
      return [];
    case 's3':
    case 'local':
      return [];
  }
}

/** Everything a plan, apply or drift job needs from its environment, for this spec (validate needs none of it). */
export function ciVariables(spec: Spec): CiVariable[] {
  return [...AWS_KEYS, ...keyProviderVariables(spec), ...backendVariables(spec)];
}

/** GitHub's expression for a variable: per-environment names end in _<ENV> (inputs.key of the reusable workflow). */
export function githubExpression(v: CiVariable): string | undefined {
  if (!v.github) return undefined;
  const { store, name } = v.github;
  return v.perEnvironment ? `\${{ ${store}[format('${name}_{0}', inputs.key)] }}` : `\${{ ${store}.${name} }}`;
}

/** The credentials view the templates read. */
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
    githubFiles: all.flatMap((v) => (v.github?.file ? [{ name: v.name, secretName: `${v.github.name.toLowerCase()}`, value: githubExpression(v)! }] : [])),
    /** Repository secrets and variables to create on GitHub (listed in the workflow header). */
    githubSettings: all.flatMap((v) => (v.github ? [{ ...v.github, perEnvironment: v.perEnvironment, description: v.description }] : [])),
    scaleway: spec.backend === 'scaleway',
  };
}
