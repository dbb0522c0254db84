import { hclValue, type HclTemplate, type HclValue } from '../../engine/hcl.js';
import { checkS3BucketName } from '../../spec/name-rules.js';
import { LOCKS } from '../../spec/options.js';
import type { Spec } from '../../spec/spec.js';
import type { BackendFeature } from '../types.js';
import { accountOf, accountRoleArn } from '../roots/accounts.js';
import { bucketBootstrap, bucketNameProblems, bucketOf, stateKey } from './buckets.js';

export interface S3BackendData {
  bucket: string;
  key: string;
  region: string;
  useLockfile: boolean;
  dynamodbTable: string | false;
  /** The role assumed in the environment's account (--accounts), or false: the caller's account. */
  assumeRole: HclTemplate | false;
}

const lockOf = (spec: Spec) => spec.lock ?? 'lockfile';
const usesDynamodb = (spec: Spec) => lockOf(spec) === 'dynamodb' || lockOf(spec) === 'both';
/** The workspace layout's backend block is one for every workspace, so it has one lock table, shared (bootstrap scopes each environment's CI to its own lock items). */
const lockTable = (spec: Spec, env: string) => (spec.layout === 'workspace' ? `${spec.name}-tofu-lock` : `${spec.name}-tofu-lock-${env}`);

const assumeRole = (spec: Spec, env: string) => {
  const account = accountOf(spec, env);
  return account === undefined ? false : accountRoleArn(account);
};

/** AWS S3: one bucket per environment, native lock file by default, DynamoDB or both on request. */
export const s3: BackendFeature<S3BackendData> = {
  hint: 'AWS S3, one bucket per environment; locking with use_lockfile (default), DynamoDB, or both',
  type: 's3',
  locks: LOCKS,
  data: (ctx) => ({
    bucket: bucketOf(ctx),
    key: stateKey(ctx),
    region: ctx.spec.regions[0]!.name,
    useLockfile: lockOf(ctx.spec) === 'lockfile' || lockOf(ctx.spec) === 'both',
    dynamodbTable: usesDynamodb(ctx.spec) ? lockTable(ctx.spec, ctx.env) : false,
    assumeRole: assumeRole(ctx.spec, ctx.env),
  }),
  remoteState: (ctx) => {
    const role = assumeRole(ctx.spec, ctx.env);
    // The state read lives in its environment's account: read it as that account's role.
    const inAccount: Record<string, HclValue> = role ? { assume_role: { expr: `{ role_arn = ${hclValue(role)} }` } } : {};
    return { bucket: bucketOf(ctx), key: stateKey(ctx), region: ctx.spec.regions[0]!.name, ...inAccount };
  },
  nameProblems: bucketNameProblems(checkS3BucketName, 'S3'),
  ciVariables: () => [],
  bootstrap: (spec, env) => ({ ...bucketBootstrap(spec, env), ...(usesDynamodb(spec) ? { lock_table: lockTable(spec, env) } : {}) }),
};
