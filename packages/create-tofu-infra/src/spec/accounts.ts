/**
 * Separate AWS accounts per environment (--accounts dev=111111111111,prod=222222222222). Every
 * root reaches its environment's account through one role there; bootstrap creates each
 * environment's bucket, key, lock table and CI roles inside it.
 */

/** The role assumed in an environment's account unless a root or bootstrap says otherwise (variable account_role_name): the one AWS Organizations creates in every account it makes. */
export const ACCOUNT_ROLE = 'OrganizationAccountAccessRole';

/** How --accounts is written, said after every problem with it. */
export const ACCOUNTS_FORM = 'Use env=account-id pairs, comma-separated, one per environment (e.g. --accounts dev=111111111111,prod=222222222222)';

const ACCOUNT_ID = /^[0-9]{12}$/;

/** A problem with one account id, or undefined when it is 12 digits. */
export function checkAccountId(id: string): string | undefined {
  return ACCOUNT_ID.test(id) ? undefined : `"${id}" is not an AWS account id (12 digits, e.g. 111111111111)`;
}

/** --accounts as typed: each env=id pair, or the problems (a pair without '=', an environment named twice). */
export function parseAccounts(value: string): { accounts: Record<string, string>; problems: string[] } {
  const accounts: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of value.split(',').map((p) => p.trim())) {
    const [env, id, ...rest] = pair.split('=').map((p) => p.trim());
    if (!env || id === undefined || id === '' || rest.length > 0) {
      problems.push(`--accounts: "${pair}" is not env=account-id. ${ACCOUNTS_FORM}`);
    } else if (env in accounts) {
      problems.push(`--accounts: "${env}" is given more than once (${accounts[env]} and ${id}); give each environment one account`);
    } else {
      accounts[env] = id;
    }
  }
  return { accounts, problems };
}
