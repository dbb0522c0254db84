import { hclTemplate, type HclTemplate, type HclValue } from '../../engine/hcl.js';
import { accountOf, accountRoleArn } from '../roots/accounts.js';
import { checkKmsAlias } from '../../spec/name-rules.js';
import type { Spec } from '../../spec/spec.js';
import type { EnvRef, KeyData, KeyProviderFeature } from '../types.js';

export interface AwsKmsKeyData extends KeyData {
  kmsKeyId: HclValue;
  region: string;
  /** The role assumed in the key's account (--accounts), or false: the caller's account. */
  assumeRole: HclTemplate | false;
}

function kmsAlias(spec: Spec, env: string): string;
function kmsAlias(spec: Spec, env: EnvRef): HclValue;
function kmsAlias(spec: Spec, env: EnvRef): HclValue {
  const prefix = `alias/opentofu-state-${spec.name}-`;
  return typeof env === 'string' ? `${prefix}${env}` : hclTemplate(prefix, env);
}

/** One KMS key per environment, created by the bootstrap stack, addressed by its alias. */
export const awsKms: KeyProviderFeature<AwsKmsKeyData> = {
  hint: 'AWS KMS, one key per environment (alias created by bootstrap/)',
  type: 'aws_kms',
  data: (spec, name, env) => {
    const account = typeof env === 'string' ? accountOf(spec, env) : undefined;
    return { name, kmsKeyId: kmsAlias(spec, env), region: spec.regions[0]!.name, assumeRole: account === undefined ? false : accountRoleArn(account) };
  },
  variables: false,
  nameProblems: (spec, stateEnvs) => stateEnvs.flatMap((env) => checkKmsAlias(kmsAlias(spec, env)) ?? []),
  ciVariables: () => [],
  credentialsNote:
    'With aws_kms, the AWS credentials also need `kms:GenerateDataKey` and `kms:Decrypt` on the environment key (`bootstrap/` outputs a policy per environment).',
  bootstrap: (spec, env) => ({ kms_alias: kmsAlias(spec, env) }),
};
