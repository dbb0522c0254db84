// --accounts against moto: moto keeps every resource per account and hands out credentials of the
// account named in an assumed role's ARN, so a test can read each account's IAM, keys and buckets
// (AssumeRole into it), point generated roots at moto and list the calls tofu made (moto's request
// recorder) as IAM actions on real resource ARNs for the IAM simulator (iam-policy.ts) to decide.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { pointAtMoto } from './generated.js';
import { awsProviderOverride, motoPython, type Moto, type MotoKeys, type PolicyDocument } from './moto.js';

/** moto's account for credentials it did not issue: the runner's (management) account. */
export const HOME_ACCOUNT = '123456789012';

const AS_ACCOUNT = `
import base64, boto3, json, re, sys
from urllib.parse import parse_qsl, unquote, urlsplit
endpoint, ca, account, op, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
base = dict(endpoint_url=endpoint, region_name="eu-west-1", verify=ca)
keys = dict(aws_access_key_id="test", aws_secret_access_key="test")
if account != "${HOME_ACCOUNT}":
    c = boto3.client("sts", **keys, **base).assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="test")["Credentials"]
    keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
iam = boto3.client("iam", **keys, **base)
doc = lambda d: json.loads(d) if isinstance(d, str) else d
if op == "delete-policy":
    boto3.client("s3", **keys, **base).delete_bucket_policy(Bucket=args[0])
elif op == "role":
    name = args[0].split("/")[-1]
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except iam.exceptions.NoSuchEntityException:
        print("null")
        sys.exit(0)
    policies = [doc(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]) for p in iam.list_role_policies(RoleName=name)["PolicyNames"]]
    for a in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=a["PolicyArn"])["Policy"]["DefaultVersionId"]
        policies.append(doc(iam.get_policy_version(PolicyArn=a["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"]))
    print(json.dumps({"arn": role["Arn"], "trust": doc(role["AssumeRolePolicyDocument"]), "inline": iam.list_role_policies(RoleName=name)["PolicyNames"], "policies": policies}))
elif op == "delete-role":
    for p in iam.list_role_policies(RoleName=args[0])["PolicyNames"]:
        iam.delete_role_policy(RoleName=args[0], PolicyName=p)
    iam.delete_role(RoleName=args[0])
elif op == "key-policy":
    print(boto3.client("kms", **keys, **base).get_key_policy(KeyId=args[0], PolicyName="default")["Policy"])
elif op == "web-identity":
    # What a CI job holds: the role's session from an OIDC token (moto checks no signature).
    c = boto3.client("sts", **base).assume_role_with_web_identity(RoleArn=args[0], RoleSessionName="ci", WebIdentityToken="token")["Credentials"]
    print(json.dumps({"AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"], "AWS_SESSION_TOKEN": c["SessionToken"]}))
elif op == "calls":
    # The recorded requests as IAM actions: STS (its RoleArn), path-style S3 objects, KMS (the key
    # as the request names it, or as moto's ciphertext names it).
    from moto.kms.utils import _deserialize_ciphertext_blob
    out = []
    for line in open(args[0], "rb"):
        e = json.loads(line)
        h = {k.lower(): v for k, v in e["headers"].items()}
        scope = re.search(r"Credential=([^/]+)/\\d+/[^/]+/([^/]+)/", h.get("authorization", ""))
        if not scope:
            continue
        key_id, service = scope.groups()
        body = base64.b64decode(e["body"]) if e.get("body_encoded") else (e.get("body") or "")
        url = urlsplit(e["url"])
        if service == "sts":
            form = dict(parse_qsl(body.decode() if isinstance(body, bytes) else body))
            out.append({"key": key_id, "action": "sts:" + form.get("Action", "?"), "resource": form.get("RoleArn")})
        elif service == "kms":
            data = json.loads(body) if body else {}
            key = data.get("KeyId") or _deserialize_ciphertext_blob(base64.b64decode(data["CiphertextBlob"])).key_id
            out.append({"key": key_id, "action": "kms:" + h.get("x-amz-target", "").split(".")[-1], "resource": key})
        elif service == "s3":
            parts = [p for p in url.path.split("/") if p]
            if len(parts) < 2:
                query = dict(parse_qsl(url.query, keep_blank_values=True))
                action = "ListBucket" if e["method"] in ("GET", "HEAD") else e["method"] + "Bucket"
                out.append({"key": key_id, "action": "s3:" + action, "resource": f"arn:aws:s3:::{unquote(parts[0]) if parts else ''}", "prefix": query.get("prefix")})
            else:
                action = {"GET": "GetObject", "HEAD": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject"}.get(e["method"], e["method"])
                out.append({"key": key_id, "action": "s3:" + action, "resource": "arn:aws:s3:::" + unquote("/".join(parts))})
        else:
            out.append({"key": key_id, "action": service + ":" + (h.get("x-amz-target", "").split(".")[-1] or e["method"]), "resource": None})
    print(json.dumps(out))
`;

/** Runs one operation of the helper above as `account` (AssumeRole into it; the runner's own keys for HOME_ACCOUNT). */
export function asAccount(moto: Moto, account: string, args: string[]): string {
  const r = spawnSync(motoPython(), ['-c', AS_ACCOUNT, moto.endpoint, moto.env.AWS_CA_BUNDLE!, account, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A role as moto holds it: its trust policy, the names of its inline policies, and every policy document (inline and attached). */
export interface RoleAsHeld {
  arn: string;
  trust: PolicyDocument;
  inline: string[];
  policies: PolicyDocument[];
}

/** The role of this ARN in its account, or null when that account has no role of its name. */
export function roleOf(moto: Moto, arn: string): RoleAsHeld | null {
  return JSON.parse(asAccount(moto, accountOfArn(arn), ['role', arn])) as RoleAsHeld | null;
}

/** One request tofu made, as the IAM action it needs: the access key that signed it, the resource as the request names it. */
export interface RecordedCall {
  key: string;
  action: string;
  resource: string | null;
  /** s3:ListBucket: the prefix listed. */
  prefix?: string | null;
}

/** The requests in moto's recording file (startMoto with MOTO_RECORDER_FILEPATH, recorder started). */
export function recordedCalls(moto: Moto, recording: string): RecordedCall[] {
  return JSON.parse(asAccount(moto, HOME_ACCOUNT, ['calls', recording])) as RecordedCall[];
}

/** A web-identity session of a CI role: what a pipeline job holds after configure-aws-credentials. */
export function webIdentitySession(moto: Moto, roleArn: string): Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string> {
  return JSON.parse(asAccount(moto, accountOfArn(roleArn), ['web-identity', roleArn])) as Record<
    'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN',
    string
  >;
}

export function accountOfArn(arn: string): string {
  const account = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
  if (!account) throw new Error(`${arn} names no account`);
  return account;
}

/**
 * Points a generated root at moto like pointAtMoto, with one difference: the provider asks STS
 * who it is (skip_requesting_account_id = false), so allowed_account_ids is checked for real; with
 * keys, as those credentials (a CI job's session) instead of the runner's.
 */
export function pointAtMotoCheckingAccount(dir: string, moto: Moto, keys?: MotoKeys): void {
  pointAtMoto(dir, moto, { byRegion: false });
  const checking = (text: string) => text.replace(/skip_requesting_account_id\s+= true/, 'skip_requesting_account_id  = false');
  writeFileSync(
    join(dir, 'moto_override.tf'),
    [awsProviderOverride(moto.endpoint, { keys }), awsProviderOverride(moto.endpoint, { alias: 'by_region', keys })].map(checking).join('\n'),
  );
}

/**
 * Bootstrap's providers pointed at moto. With the account known, the provider reads bucket tags
 * through S3 Control at <account>.<endpoint>, a host that does not resolve here; so bootstrap runs
 * without asking STS, and its per-account providers' allowed_account_ids (which needs the answer)
 * is lifted in this test copy only.
 */
export function pointBootstrapAtMoto(dir: string, moto: Moto): void {
  pointAtMoto(dir, moto, { byRegion: false });
  const perAccount = awsProviderOverride(moto.endpoint, { alias: 'account' }).replace('  access_key', '  allowed_account_ids         = null\n  access_key');
  writeFileSync(join(dir, 'moto_override.tf'), [awsProviderOverride(moto.endpoint), perAccount].join('\n'));
}
