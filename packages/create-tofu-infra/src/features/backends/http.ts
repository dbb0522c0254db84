import { hclTemplate, type HclTemplate } from '../../engine/hcl.js';
import type { BackendFeature, StateContext } from '../types.js';

export interface HttpBackendData {
  address: HclTemplate;
  lockAddress: HclTemplate;
}

/** GitLab state names may not hold '/', so a root's path becomes dashes. */
function gitlabStateName(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'default' : ctx.root.path.replaceAll('/', '-');
}

/** The state address, built at init from two CI variables passed as TF_VAR_gitlab_* (early evaluation, OpenTofu 1.8+). */
function stateUrl(ctx: StateContext, suffix = ''): HclTemplate {
  const path = `/terraform/state/${gitlabStateName(ctx)}${suffix}`;
  return hclTemplate({ expr: 'var.gitlab_api_url' }, '/projects/', { expr: 'var.gitlab_project_id' }, path);
}

/**
 * GitLab-managed state over the http backend. Credentials only ever come from
 * TF_HTTP_USERNAME / TF_HTTP_PASSWORD (in CI: gitlab-ci-token / $CI_JOB_TOKEN).
 */
export const http: BackendFeature<HttpBackendData> = {
  hint: 'GitLab-managed state (http backend), one state per root; credentials via TF_HTTP_* only',
  type: 'http',
  data: (ctx) => ({ address: stateUrl(ctx), lockAddress: stateUrl(ctx, '/lock') }),
  remoteState: (ctx) => ({ address: stateUrl(ctx) }),
  nameProblems: () => [],
  ciVariables: () => [
    {
      name: 'TF_HTTP_USERNAME',
      secret: false,
      perEnvironment: false,
      description: 'GitLab user of the state API',
      placeholder: '<your GitLab username>',
      gitlabValue: 'gitlab-ci-token',
      github: { store: 'vars', name: 'TF_HTTP_USERNAME' },
    },
    {
      name: 'TF_HTTP_PASSWORD',
      secret: true,
      perEnvironment: false,
      description: "the job's own token (GitLab), or a token with the api scope",
      placeholder: '<a GitLab personal access token with the api scope>',
      gitlabValue: '$CI_JOB_TOKEN',
      github: { store: 'secrets', name: 'TF_HTTP_PASSWORD' },
    },
    {
      name: 'TF_VAR_gitlab_project_id',
      secret: false,
      perEnvironment: false,
      description: 'the GitLab project keeping the state',
      placeholder: '<the numeric id of the GitLab project>',
      gitlabValue: '$CI_PROJECT_ID',
      github: { store: 'vars', name: 'GITLAB_PROJECT_ID' },
    },
    {
      name: 'TF_VAR_gitlab_api_url',
      secret: false,
      perEnvironment: false,
      description: 'the GitLab API',
      placeholder: '<https://gitlab.com/api/v4, or your GitLab API>',
      gitlabValue: '$CI_API_V4_URL',
      github: { store: 'vars', name: 'GITLAB_API_URL' },
    },
  ],
};
