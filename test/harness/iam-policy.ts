// A small evaluator of the IAM policy features the generated trust and state policies use
// (Allow statements, StringEquals / StringLike conditions, action and resource wildcards), so
// tests can ask "may this token / this action on this object" instead of comparing JSON text.
import type { PolicyDocument, PolicyStatement } from './moto.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const statementsOf = (doc: PolicyDocument): PolicyStatement[] => (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]);

/** IAM's glob: * any run of characters, ? one character; case-sensitive. */
export function iamLike(pattern: string, value: string): boolean {
  const re = pattern
    .replaceAll(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${re}$`).test(value);
}

function conditionHolds(condition: PolicyStatement['Condition'], context: Record<string, string>): boolean {
  for (const [test, variables] of Object.entries(condition ?? {})) {
    for (const [variable, values] of Object.entries(variables)) {
      const actual = context[variable];
      if (actual === undefined) return false;
      if (test === 'StringEquals' && !list(values).includes(actual)) return false;
      else if (test === 'StringLike' && !list(values).some((v) => iamLike(v, actual))) return false;
      else if (test !== 'StringEquals' && test !== 'StringLike') throw new Error(`the test evaluator does not know condition ${test}`);
    }
  }
  return true;
}

/** Whether a web-identity token with these claims (issuer:aud, issuer:sub) may assume a role with this trust policy. */
export function trustAllows(trust: PolicyDocument, federated: string, claims: Record<string, string>): boolean {
  return statementsOf(trust).some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).includes('sts:AssumeRoleWithWebIdentity') &&
      list(s.Principal?.Federated).includes(federated) &&
      conditionHolds(s.Condition, claims),
  );
}

/** Whether any Allow statement of these policies grants `action` on `resource` (conditions ignored: a superset). */
export function policiesAllow(docs: PolicyDocument[], action: string, resource: string): boolean {
  return docs
    .flatMap(statementsOf)
    .some((s) => s.Effect === 'Allow' && list(s.Action).some((a) => iamLike(a, action)) && list(s.Resource).some((r) => iamLike(r, resource)));
}
