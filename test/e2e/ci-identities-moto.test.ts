// The CI identities bootstrap creates, applied against moto and read back from moto's IAM: one
// OIDC provider per issuer, per environment and CI a plan and an apply role. The trust policies
// are checked as IAM would evaluate them for the tokens GitHub and GitLab issue (moto accepts any
// web identity, so it cannot refuse a token itself); the role split is checked on the policies
// moto holds: the plan role never writes state beyond the lock file, each role stays in its
// environment's bucket and key. Both are decided by the IAM simulator behind iam-policy.ts,
// conditions and the keys' own policies included.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgainstMoto, scaffold, tofuOk } from '../harness/generated.js';
import { policiesAllow, trustAllows } from '../harness/iam-policy.js';
import { startMoto, type Moto, type MotoIam, type PolicyDocument } from '../harness/moto.js';

const ENVS = ['dev', 'prod'];
const GITHUB = 'token.actions.githubusercontent.com';
const GITLAB = 'gitlab.example.com';
const bucket = (env: string) => `acme-tofu-state-${env}`;

/** The claims IAM sees for a GitHub Actions job: aud and sub (environment jobs, then pull request and branch jobs). */
const github = (sub: string) => ({ [`${GITHUB}:aud`]: 'sts.amazonaws.com', [`${GITHUB}:sub`]: sub });
const gitlab = (sub: string, aud = `https://${GITLAB}`) => ({ [`${GITLAB}:aud`]: aud, [`${GITLAB}:sub`]: sub });

describe('bootstrap CI identities against moto (GitHub and self-managed GitLab)', () => {
  let moto: Moto;
  let repo: string;
  let iam: MotoIam;
  let outputs: Record<string, { value: unknown }>;
  /** Each environment's key policy as bootstrap applied it (KMS needs it besides the role's policy). */
  let keyPolicies: Record<string, PolicyDocument>;

  const role = (name: string) => {
    const found = iam.roles.find((r) => r.name === name);
    expect(found, `role ${name}`).toBeDefined();
    return found!;
  };
  const providerArn = (issuer: string) => iam.providers.find((p) => p.url.replace(/^https:\/\//, '') === issuer)!.arn;
  const docs = (name: string): PolicyDocument[] => role(name).policies.map((p) => p.document);

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold([
      '--name',
      'acme',
      '--envs',
      ENVS.join(','),
      '--modules',
      'network',
      '--ci',
      'github,gitlab',
      '--github-repo',
      'acme/infra',
      '--gitlab-project',
      'acme/platform/infra',
      '--gitlab-host',
      GITLAB,
    ]);
    await bootstrapAgainstMoto(repo, moto);
    iam = moto.iam();
    const out = await tofuOk(join(repo, 'bootstrap'), ['output', '-json'], moto.env);
    outputs = JSON.parse(out.slice(out.indexOf('{'))) as typeof outputs;
    const shown = await tofuOk(join(repo, 'bootstrap'), ['show', '-json'], moto.env);
    const state = JSON.parse(shown.slice(shown.indexOf('{'))) as {
      values: { root_module: { resources: { type: string; name: string; index?: string; values: { policy: string } }[] } };
    };
    keyPolicies = Object.fromEntries(
      state.values.root_module.resources
        .filter((r) => r.type === 'aws_kms_key_policy' && r.name === 'state')
        .map((r) => [r.index!, JSON.parse(r.values.policy) as PolicyDocument]),
    );
  });
  afterAll(async () => moto?.stop());

  it('created one OIDC provider per issuer, with the audience each CI sends', () => {
    expect(iam.providers.map((p) => p.url.replace(/^https:\/\//, '')).sort()).toEqual([GITLAB, GITHUB].sort());
    expect(iam.providers.find((p) => p.url.endsWith(GITHUB))!.clientIds).toEqual(['sts.amazonaws.com']);
    expect(iam.providers.find((p) => p.url.endsWith(GITLAB))!.clientIds).toEqual([`https://${GITLAB}`]);
  });

  it('outputs the role ARNs moto holds, and keeps ci_policy_arns (the apply policies)', () => {
    const arns = outputs.ci_role_arns!.value as Record<string, Record<string, { plan: string; apply: string }>>;
    expect(Object.keys(arns).sort()).toEqual(['github', 'gitlab']);
    for (const ci of ['github', 'gitlab']) {
      for (const env of ENVS) {
        expect(arns[ci]![env]!.plan).toBe(role(`acme-tofu-${ci}-plan-${env}`).arn);
        expect(arns[ci]![env]!.apply).toBe(role(`acme-tofu-${ci}-apply-${env}`).arn);
      }
    }
    expect(Object.keys(outputs.ci_policy_arns!.value as object)).toEqual(ENVS);
    expect(Object.keys(outputs.ci_plan_policy_arns!.value as object)).toEqual(ENVS);
    expect(outputs.ci_setup!.value).toContain('AWS_APPLY_ROLE_ARN_PROD=');
    expect(outputs.ci_setup!.value).toContain('Required reviewers');
  });

  it.each(ENVS)('GitHub roles of %s trust only this repository, apply only its environment', (env) => {
    const other = ENVS.find((e) => e !== env)!;
    const federated = providerArn(GITHUB);
    const plan = role(`acme-tofu-github-plan-${env}`).trust;
    const apply = role(`acme-tofu-github-apply-${env}`).trust;
    expect(trustAllows(plan, federated, github(`repo:acme/infra:environment:${env}-plan`))).toBe(true);
    expect(trustAllows(apply, federated, github(`repo:acme/infra:environment:${env}`))).toBe(true);
    const refused = [
      github(`repo:acme/infra:pull_request`),
      github(`repo:acme/infra:ref:refs/heads/main`),
      github(`repo:acme/infra:environment:${other}`),
      github(`repo:acme/infra:environment:${other}-plan`),
      github(`repo:evil/infra:environment:${env}`),
      github(`repo:acme/infra-fork:environment:${env}`),
      { ...github(`repo:acme/infra:environment:${env}`), [`${GITHUB}:aud`]: 'https://github.com/acme' },
    ];
    for (const claims of refused) {
      expect(trustAllows(apply, federated, claims), `apply of ${env} must refuse ${JSON.stringify(claims)}`).toBe(false);
    }
    // The plan role: not another environment's plan jobs, nor the apply environment's.
    for (const claims of refused.slice(2)) expect(trustAllows(plan, federated, claims), `plan of ${env}: ${JSON.stringify(claims)}`).toBe(false);
    expect(trustAllows(apply, providerArn(GITLAB), github(`repo:acme/infra:environment:${env}`)), 'another issuer').toBe(false);
  });

  it.each(ENVS)('GitLab roles of %s trust only this project, apply only its default branch', (env) => {
    const federated = providerArn(GITLAB);
    const plan = role(`acme-tofu-gitlab-plan-${env}`).trust;
    const apply = role(`acme-tofu-gitlab-apply-${env}`).trust;
    const branch = (ref: string, project = 'acme/platform/infra') => gitlab(`project_path:${project}:ref_type:branch:ref:${ref}`);
    expect(trustAllows(apply, federated, branch('main'))).toBe(true);
    expect(trustAllows(plan, federated, branch('main'))).toBe(true);
    expect(trustAllows(plan, federated, branch('feature/x'))).toBe(true);
    for (const claims of [
      branch('feature/x'),
      branch('main-x'),
      branch('main', 'acme/platform/other'),
      branch('main', 'acme/platform'),
      gitlab('project_path:acme/platform/infra:ref_type:tag:ref:main'),
      gitlab('project_path:acme/platform/infra:ref_type:branch:ref:main', 'https://gitlab.com'),
    ]) {
      expect(trustAllows(apply, federated, claims), `apply of ${env} must refuse ${JSON.stringify(claims)}`).toBe(false);
    }
    for (const claims of [branch('main', 'acme/platform/other'), gitlab('project_path:acme/platform/infra:ref_type:tag:ref:v1')]) {
      expect(trustAllows(plan, federated, claims), `plan of ${env}: ${JSON.stringify(claims)}`).toBe(false);
    }
  });

  it.each(['github', 'gitlab'])('%s: the plan role reads state and takes the lock but never writes state; apply writes only its own', async (ci) => {
    for (const env of ENVS) {
      const other = ENVS.find((e) => e !== env)!;
      const state = `arn:aws:s3:::${bucket(env)}/environments/${env}/terraform.tfstate`;
      const plan = docs(`acme-tofu-${ci}-plan-${env}`);
      const apply = docs(`acme-tofu-${ci}-apply-${env}`);
      expect(await policiesAllow(plan, 's3:GetObject', state)).toBe(true);
      expect(await policiesAllow(plan, 's3:PutObject', `${state}.tflock`)).toBe(true);
      expect(await policiesAllow(plan, 's3:DeleteObject', `${state}.tflock`)).toBe(true);
      expect(await policiesAllow(plan, 's3:PutObject', state), `plan of ${env} must not write state`).toBe(false);
      expect(await policiesAllow(plan, 's3:DeleteObject', state)).toBe(false);
      expect(await policiesAllow(apply, 's3:PutObject', state)).toBe(true);
      for (const docsOf of [plan, apply]) {
        expect(await policiesAllow(docsOf, 's3:GetObject', `arn:aws:s3:::${bucket(other)}/environments/${other}/terraform.tfstate`)).toBe(false);
        expect(await policiesAllow(docsOf, 's3:PutObject', `arn:aws:s3:::${bucket(other)}/environments/${other}/terraform.tfstate.tflock`)).toBe(false);
        expect(await policiesAllow(docsOf, 'iam:CreateRole', 'arn:aws:iam::123456789012:role/any')).toBe(false);
      }
      const keyArn = (outputs.kms_key_arns!.value as Record<string, string>)[env]!;
      const otherKey = (outputs.kms_key_arns!.value as Record<string, string>)[other]!;
      const key = (e: string) => ({ resourcePolicy: keyPolicies[e]! });
      expect(await policiesAllow(plan, 'kms:Decrypt', keyArn, key(env))).toBe(true);
      expect(await policiesAllow(plan, 'kms:Decrypt', otherKey, key(other))).toBe(false);
      expect(await policiesAllow(apply, 'kms:Decrypt', otherKey, key(other))).toBe(false);
      // Listing (with its s3:prefix condition, evaluated): its own bucket, not another's.
      const list = { context: { 's3:prefix': `environments/${env}/terraform.tfstate` } };
      expect(await policiesAllow(plan, 's3:ListBucket', `arn:aws:s3:::${bucket(env)}`, list)).toBe(true);
      expect(await policiesAllow(plan, 's3:ListBucket', `arn:aws:s3:::${bucket(other)}`, list)).toBe(false);
    }
  });

  it('the evaluator catches a trust that is too wide (negative control)', () => {
    const apply = role('acme-tofu-github-apply-prod').trust;
    const federated = providerArn(GITHUB);
    expect(trustAllows(apply, federated, github('repo:acme/infra:environment:dev'))).toBe(false);
    // The subject widened to every environment of the repository, as a careless edit would.
    const widened = JSON.parse(JSON.stringify(apply)) as PolicyDocument;
    for (const st of Array.isArray(widened.Statement) ? widened.Statement : [widened.Statement]) {
      const equals = st.Condition!.StringEquals!;
      delete equals[`${GITHUB}:sub`];
      st.Condition!.StringLike = { [`${GITHUB}:sub`]: 'repo:acme/infra:environment:*' };
    }
    expect(trustAllows(widened, federated, github('repo:acme/infra:environment:dev'))).toBe(true);
  });

  it('reuses an existing OIDC provider when given its ARN, instead of creating one', async () => {
    const dir = join(repo, 'bootstrap');
    const existing = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    await tofuOk(dir, ['plan', '-input=false', '-out=reuse.tfplan', `-var=github_oidc_provider_arn=${existing}`], moto.env);
    const shown = await tofuOk(dir, ['show', '-json', 'reuse.tfplan'], moto.env);
    const plan = JSON.parse(shown.slice(shown.indexOf('{'))) as {
      resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown> | null } }[];
    };
    const change = (address: string) => plan.resource_changes.find((r) => r.address === address)!.change;
    expect(change('aws_iam_openid_connect_provider.github[0]').actions).toEqual(['delete']);
    expect(plan.resource_changes.some((r) => r.address.startsWith('aws_iam_openid_connect_provider.gitlab') && r.change.actions.includes('delete'))).toBe(
      false,
    );
    const trust = JSON.parse(change('aws_iam_role.ci["github/prod/apply"]').after!.assume_role_policy as string) as PolicyDocument;
    expect(trustAllows(trust, existing, github('repo:acme/infra:environment:prod'))).toBe(true);
  });
});
