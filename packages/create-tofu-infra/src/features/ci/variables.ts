/**
 * One value tofu reads from its environment in CI. Secrets never appear in a pipeline file: on
 * GitLab they are protected, masked CI/CD variables (scoped to the environment when per
 * environment); on GitHub, environment secrets of <env>-plan and <env>, named per environment.
 * Features declare the ones they need (ciVariables); this file holds the type and the ones several
 * features share.
 */
export interface CiVariable {
  /** The environment variable tofu (or the provider) reads. */
  name: string;
  secret: boolean;
  /** A different value per environment (GitLab: scope the variable; GitHub: NAME_<ENV>). */
  perEnvironment: boolean;
  description: string;
  /**
   * What the README's first-run export block shows in place of the value: a `<...>` placeholder,
   * never a value (prove substitutes an emulator's value for it by the variable's name).
   */
  placeholder: string;
  /** Only a pipeline reads it (the OIDC role ARNs): not in the README's export block. */
  ciOnly?: boolean;
  /** GitLab: a value built from predefined variables, written in .gitlab-ci.yml. Absent: set it in the project. */
  gitlabValue?: string;
  /** GitLab: a File variable (its value is written to a file and the variable holds the path). */
  gitlabFile?: boolean;
  /** GitHub: where the value comes from; absent when GitHub does not need it. A file secret is written to a temporary file first. */
  github?: { store: 'secrets' | 'vars'; name: string; file?: boolean };
}

/**
 * Every root is an AWS root, so every job assumes an AWS role through OIDC, with no stored key.
 * Listed for GitLab only (the jobs' ID token is the web identity); GitHub reads its role ARNs as
 * AWS_PLAN_ROLE_ARN_<ENV> / AWS_APPLY_ROLE_ARN_<ENV> repository variables (tofu-root.yml).
 */
export const AWS_ROLES: CiVariable[] = [
  {
    name: 'AWS_PLAN_ROLE_ARN',
    secret: false,
    perEnvironment: true,
    ciOnly: true,
    placeholder: '<plan role ARN>',
    description: "ARN of the environment's plan role (bootstrap output ci_role_arns.gitlab.<env>.plan)",
  },
  {
    name: 'AWS_APPLY_ROLE_ARN',
    secret: false,
    perEnvironment: true,
    ciOnly: true,
    placeholder: '<apply role ARN>',
    description: "ARN of the environment's apply role (bootstrap output ci_role_arns.gitlab.<env>.apply)",
  },
];

/** Google credentials, for the gcs backend and the gcp_kms key provider alike (listed once when both are chosen). */
export const GOOGLE_CREDENTIALS: CiVariable = {
  name: 'GOOGLE_APPLICATION_CREDENTIALS',
  secret: true,
  perEnvironment: true,
  gitlabFile: true,
  placeholder: '<path to the service account key file>',
  description: 'a service account key (File variable) allowed to use the state bucket / crypto key of the environment',
  github: { store: 'secrets', name: 'GOOGLE_CREDENTIALS', file: true },
};
