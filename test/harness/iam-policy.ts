// IAM policy evaluation for the tests: the one place that decides "may this token assume this
// role" and "may this principal make this request", so the evaluator can be swapped here alone.
//
// The evaluator is @cloud-copilot/iam-simulate (with its policy parser @cloud-copilot/iam-policy):
// AWS's evaluation logic with every condition operator (StringLike, ForAllValues:..., IfExists...),
// identity, resource (trust, key) policies and the account-trust rules of STS and KMS. Both are
// AGPL-3.0 while this project is MPL-2.0: they are devDependencies of the test harness only;
// nothing under packages/ imports them and no build bundles them. No permissively licensed
// library was found that evaluates conditions (see README, "What the tests prove").
import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type EvaluationResult } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './moto.js';

/** The account moto reports when nothing else names one. */
const MOTO_ACCOUNT = '123456789012';

/** One request as IAM authorizes it: who, which action, on which resource, with which condition keys. */
export interface IamRequest {
  /** An IAM user or role ARN. */
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource's own policy (a KMS key policy), which KMS requires besides the identity's. */
  resourcePolicy?: PolicyDocument;
}

const accountOf = (arn: string): string | undefined => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/**
 * Whether a web-identity token with these claims (`<issuer>:aud`, `<issuer>:sub`) may assume a role
 * with this trust policy, through the OIDC provider `federated`.
 *
 * The trust policy is validated first; then the simulation runs without the library's check of
 * context keys, because the AWS service reference it checks against lists the claims of a few named
 * issuers only, not the `<issuer>:aud` and `<issuer>:sub` keys that every OIDC provider has (a
 * self-managed GitLab host, for one): the validating entry point would drop those claims and refuse
 * every token.
 */
export function trustAllows(trust: PolicyDocument, federated: string, claims: Record<string, string>): boolean {
  const policy = createValidatedPolicy(trust, validateTrustPolicy, { name: 'trust' });
  if (policy.errors.length) throw new Error(`invalid trust policy: ${JSON.stringify(policy.errors)}`);
  const account = accountOf(federated) ?? MOTO_ACCOUNT;
  const result = runUnsafeSimulation(
    {
      request: {
        principal: federated,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: `arn:aws:iam::${account}:role/trusting-role`, accountId: account },
        contextVariables: claims,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  return result === 'Allowed';
}

/**
 * The decision for one request under these identity policies (all attached to the principal),
 * conditions included. Throws when the simulator refuses the input (an invalid policy, an unknown
 * action or resource type) or would drop a condition key the request carries, so a misnamed key
 * never passes silently.
 */
export async function decide(policies: PolicyDocument[], request: IamRequest): Promise<EvaluationResult> {
  const account = accountOf(request.principal) ?? MOTO_ACCOUNT;
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.resource) ?? account },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(`the IAM simulator refused ${request.action} on ${request.resource}: ${response.errors.message}`);
  const ignored = response.resultType === 'single' ? (response.result.ignoredContextKeys ?? []) : response.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length) throw new Error(`the IAM simulator does not know ${ignored.join(', ')} for ${request.action} on ${request.resource}`);
  return response.overallResult;
}

/** Whether these policies allow `action` on `resource` for a principal of the resource's account. */
export async function policiesAllow(
  policies: PolicyDocument[],
  action: string,
  resource: string,
  opts: Pick<IamRequest, 'context' | 'resourcePolicy'> = {},
): Promise<boolean> {
  const principal = `arn:aws:iam::${accountOf(resource) ?? MOTO_ACCOUNT}:role/ci-role`;
  return (await decide(policies, { principal, action, resource, ...opts })) === 'Allowed';
}
