import type { BackendFeature, StateContext } from '../types.js';

/** GitLab state names may not hold '/', so a root's path becomes dashes. */
export function gitlabStateName(ctx: StateContext): string {
  return ctx.root.kind === 'workspace' ? 'default' : ctx.root.path.replaceAll('/', '-');
}

/** The state address, built at init from two CI variables passed as TF_VAR_gitlab_* (early evaluation, OpenTofu 1.8+). */
const stateUrl = (name: string) => `\${var.gitlab_api_url}/projects/\${var.gitlab_project_id}/terraform/state/${name}`;

/**
 * GitLab-managed state over the http backend. Credentials only ever come from
 * TF_HTTP_USERNAME / TF_HTTP_PASSWORD (in CI: gitlab-ci-token / $CI_JOB_TOKEN).
 */
export const http: BackendFeature = {
  kind: 'http',
  summary: 'GitLab-managed state (http backend), one state per root; credentials via TF_HTTP_* only',
  backendBlock(t, ctx) {
    return t.render('backends/http.tf.hbs', { address: stateUrl(gitlabStateName(ctx)) });
  },
  remoteState(ctx) {
    return { backend: 'http', config: { address: { expr: `"${stateUrl(gitlabStateName(ctx))}"` } } };
  },
};
