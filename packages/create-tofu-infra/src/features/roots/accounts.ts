import { hclTemplate, type HclTemplate } from '../../engine/hcl.js';
import { ACCOUNT_ROLE } from '../../spec/accounts.js';
import type { Spec } from '../../spec/spec.js';

/** The role a root assumes in an environment's account (--accounts), named by the root's variable account_role_name. */
export function accountRoleArn(account: string): HclTemplate {
  return hclTemplate(`arn:aws:iam::${account}:role/`, { expr: 'var.account_role_name' });
}

/** The account of a state environment (--accounts), or undefined: the caller's own account. */
export function accountOf(spec: Spec, env: string | undefined): string | undefined {
  return env === undefined ? undefined : spec.accounts?.[env];
}

/** Template data of a root's account (--accounts): its id and the role assumed there. */
export interface AccountData {
  id: string;
  roleArn: HclTemplate;
  /** The default of variable account_role_name. */
  roleName: string;
}

export function accountData(spec: Spec, env: string | undefined): AccountData | false {
  const id = accountOf(spec, env);
  return id === undefined ? false : { id, roleArn: accountRoleArn(id), roleName: ACCOUNT_ROLE };
}
