import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { freePort, stopChild, trackChild } from './processes.js';
import { toolchain } from './toolchain.js';

export interface Moto {
  endpoint: string;
  port: number;
  /** Environment for tofu and the aws provider talking to this moto (fake credentials, KMS endpoint). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
  /** Reads an S3 object through boto3 (moto refuses anonymous reads): undefined when it does not exist. */
  s3Get(bucket: string, key: string): string | undefined;
  /** Lists the keys of a bucket. */
  s3List(bucket: string): string[];
  /**
   * Removes a bucket policy. moto applies a Deny statement without evaluating its conditions, so
   * the generated TLS-only policy (deny when aws:SecureTransport is false) would deny everything there.
   */
  s3DeletePolicy(bucket: string): void;
  /** IAM as moto holds it: the OIDC providers, and every role with its trust policy and attached policies' documents. */
  iam(): MotoIam;
  /** Creates a bucket in `region` (any name moto accepts, e.g. Scaleway's fr-par), versioned or not. */
  s3CreateBucket(bucket: string, region: string, versioned: boolean): void;
  /** The non-default VPCs of a region. */
  ec2Vpcs(region: string): string[];
  /** The LockID of every item in a DynamoDB lock table. */
  dynamoLockIds(table: string): string[];
  /** Reads an S3 object as another principal: 'denied' on AccessDenied, undefined when it does not exist. */
  s3GetAs(keys: MotoKeys, bucket: string, key: string): string | 'denied' | undefined;
  /** The credentials the helpers above use (an admin's once IAM is enforced). */
  useKeys(keys: MotoKeys): void;
  /** Starts or stops moto's request recorder (MOTO_RECORDER_FILEPATH, given to startMoto). */
  recorder(action: 'start-recording' | 'stop-recording'): Promise<void>;
  /** Turns IAM enforcement on for every request from now on (POST /moto-api/reset-auth 0). */
  enforceIam(): Promise<void>;
  /** Every session STS handed out so far (AssumeRole, AssumeRoleWithWebIdentity), from moto's /moto-api/data.json. */
  assumedRoles(): Promise<MotoSession[]>;
}

/** One STS session as moto holds it: the role it is, under which session name, and its (secret) credentials. */
export interface MotoSession {
  roleArn: string;
  sessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface MotoKeys {
  id: string;
  secret: string;
}

export interface MotoIam {
  providers: { arn: string; url: string; clientIds: string[] }[];
  roles: { name: string; arn: string; trust: PolicyDocument; policies: { name: string; document: PolicyDocument }[] }[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement | PolicyStatement[];
}

const BOTO = `
import boto3, json, os, sys
from botocore.exceptions import ClientError
KEYS = dict(aws_access_key_id=os.environ.get("MOTO_KEY", "test"), aws_secret_access_key=os.environ.get("MOTO_SECRET", "test"))
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="eu-west-1", verify=sys.argv[2], **KEYS)
op, bucket = sys.argv[3], sys.argv[4]
if op == "dynamo-scan":
    db = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="eu-west-1", verify=sys.argv[2], **KEYS)
    print(json.dumps([i["LockID"]["S"] for i in db.scan(TableName=bucket).get("Items", [])]))
elif op == "iam":
    iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", verify=sys.argv[2], **KEYS)
    providers = []
    for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
        d = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])
        providers.append({"arn": p["Arn"], "url": d["Url"], "clientIds": d["ClientIDList"]})
    roles = []
    for r in iam.list_roles()["Roles"]:
        policies = []
        for a in iam.list_attached_role_policies(RoleName=r["RoleName"])["AttachedPolicies"]:
            pol = iam.get_policy(PolicyArn=a["PolicyArn"])["Policy"]
            doc = iam.get_policy_version(PolicyArn=a["PolicyArn"], VersionId=pol["DefaultVersionId"])["PolicyVersion"]["Document"]
            policies.append({"name": a["PolicyName"], "document": json.loads(doc) if isinstance(doc, str) else doc})
        trust = r["AssumeRolePolicyDocument"]
        roles.append({"name": r["RoleName"], "arn": r["Arn"], "trust": json.loads(trust) if isinstance(trust, str) else trust, "policies": policies})
    print(json.dumps({"providers": providers, "roles": roles}))
elif op == "get":
    try:
        if len(sys.argv) > 6:
            # as another principal: AccessDenied exits 4
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="eu-west-1", verify=sys.argv[2], aws_access_key_id=sys.argv[6], aws_secret_access_key=sys.argv[7])
        sys.stdout.write(s3.get_object(Bucket=bucket, Key=sys.argv[5])["Body"].read().decode("utf-8", "replace"))
    except ClientError as e:
        code = e.response["Error"]["Code"]
        sys.exit(3 if code in ("NoSuchKey", "404") else 4 if code in ("AccessDenied", "403") else 1)
elif op == "ec2-vpcs":
    ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name=bucket, verify=sys.argv[2], **KEYS)
    print(json.dumps([v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]))
elif op == "create-bucket":
    region = sys.argv[5]
    regional = boto3.client("s3", endpoint_url=sys.argv[1], region_name=region, verify=sys.argv[2], **KEYS)
    regional.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    if sys.argv[6] == "versioned":
        regional.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
elif op == "delete-policy":
    s3.delete_bucket_policy(Bucket=bucket)
else:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    print(json.dumps([o["Key"] for p in pages for o in p.get("Contents", [])]))
`;

/** The python of the toolchain's moto, with boto3 (test-only helper scripts run with it). */
export function motoPython(): string {
  return join(dirname(toolchain().motoServer), 'python');
}

function boto(endpoint: string, args: string[], keys: MotoKeys): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(motoPython(), ['-c', BOTO, endpoint, tlsCertificate().cert, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MOTO_KEY: keys.id, MOTO_SECRET: keys.secret },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let certificate: { cert: string; key: string } | undefined;

/**
 * A self-signed certificate for 127.0.0.1, made once per test process. moto serves TLS with it
 * because the generated state buckets refuse plain HTTP (their policy denies aws:SecureTransport
 * false, and moto enforces it); AWS_CA_BUNDLE makes tofu, the provider and the key provider trust it.
 */
function tlsCertificate(): { cert: string; key: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'cti-moto-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl could not make a test certificate: ${r.stderr}`);
  certificate = { cert, key };
  return certificate;
}

function post(url: string, body: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: readFileSync(ca) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 500);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(ca) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ((res.statusCode ?? 500) === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function ping(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { ca: readFileSync(ca) }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Starts moto (TLS) on a free loopback port and waits until it answers. Call stop() in afterAll.
 * `env` adds moto settings (e.g. MOTO_ENABLE_RECORDING) to its process.
 */
export async function startMoto(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Moto> {
  const port = await freePort();
  const tls = tlsCertificate();
  const child = spawn(toolchain().motoServer, ['-H', '127.0.0.1', '-p', String(port), '-s', '-c', tls.cert, '-k', tls.key], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const endpoint = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}):\n${stderr}`);
    if (await ping(`${endpoint}/moto-api/`, tls.cert)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within 30s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let keys: MotoKeys = { id: 'test', secret: 'test' };
  return {
    endpoint,
    port,
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The aws_kms key provider has no KMS endpoint setting: the SDK's per-service variables point it here.
      AWS_ENDPOINT_URL_KMS: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_IAM: endpoint,
      AWS_CA_BUNDLE: tls.cert,
    },
    s3Get(bucket, key) {
      const r = boto(endpoint, ['get', bucket, key], keys);
      if (r.status === 3) return undefined;
      if (r.status !== 0) throw new Error(`reading s3://${bucket}/${key} from moto failed: ${r.stderr}`);
      return r.stdout;
    },
    s3List(bucket) {
      const r = boto(endpoint, ['list', bucket], keys);
      if (r.status !== 0) throw new Error(`listing s3://${bucket} in moto failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as string[];
    },
    s3DeletePolicy(bucket) {
      const r = boto(endpoint, ['delete-policy', bucket], keys);
      if (r.status !== 0) throw new Error(`deleting the policy of s3://${bucket} in moto failed: ${r.stderr}`);
    },
    iam() {
      const r = boto(endpoint, ['iam', '-'], keys);
      if (r.status !== 0) throw new Error(`reading IAM from moto failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as MotoIam;
    },
    s3CreateBucket(bucket, region, versioned) {
      const r = boto(endpoint, ['create-bucket', bucket, region, versioned ? 'versioned' : 'plain'], keys);
      if (r.status !== 0) throw new Error(`creating s3://${bucket} in moto failed: ${r.stderr}`);
    },
    ec2Vpcs(region) {
      const r = boto(endpoint, ['ec2-vpcs', region], keys);
      if (r.status !== 0) throw new Error(`listing the VPCs of ${region} in moto failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as string[];
    },
    dynamoLockIds(table) {
      const r = boto(endpoint, ['dynamo-scan', table], keys);
      if (r.status !== 0) throw new Error(`scanning ${table} in moto failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as string[];
    },
    s3GetAs(as, bucket, key) {
      const r = boto(endpoint, ['get', bucket, key, as.id, as.secret], keys);
      if (r.status === 3) return undefined;
      if (r.status === 4) return 'denied';
      if (r.status !== 0) throw new Error(`reading s3://${bucket}/${key} from moto as ${as.id} failed: ${r.stderr}`);
      return r.stdout;
    },
    useKeys(next) {
      keys = next;
    },
    async recorder(action) {
      const status = await post(`${endpoint}/moto-api/recorder/${action}`, '', tls.cert);
      if (status !== 200) throw new Error(`moto's recorder refused ${action} (HTTP ${status})`);
    },
    async enforceIam() {
      // moto counts requests without checking them up to INITIAL_NO_AUTH_ACTION_COUNT; this sets it
      // to 0 and resets the count, so every later request is authenticated and authorized.
      const status = await post(`${endpoint}/moto-api/reset-auth`, '0', tls.cert);
      if (status !== 200) throw new Error(`moto refused to enforce IAM (HTTP ${status})`);
    },
    async assumedRoles() {
      type Raw = { role_arn: string; session_name: string; access_key_id: string; secret_access_key: string; session_token: string };
      const data = JSON.parse(await getText(`${endpoint}/moto-api/data.json`, tls.cert)) as { sts?: { AssumedRole?: Raw[] } };
      return (data.sts?.AssumedRole ?? []).map((r) => ({
        roleArn: r.role_arn,
        sessionName: r.session_name,
        accessKeyId: r.access_key_id,
        secretAccessKey: r.secret_access_key,
        sessionToken: r.session_token,
      }));
    },
    stop: () => stopChild(child),
  };
}

/**
 * Override file content that points the aws provider of a test copy at moto (never in generated code).
 * `keys: 'ambient'` sets no keys: the provider takes the SDK's own credentials (a CI job's web identity).
 */
export function awsProviderOverride(endpoint: string, opts: { alias?: string; forEach?: string; keys?: MotoKeys | 'ambient' } = {}): string {
  const services = ['s3', 'dynamodb', 'kms', 'iam', 'sts', 'ec2', 'rds', 'ssm', 'autoscaling', 'secretsmanager', 'logs'];
  const keys =
    opts.keys === 'ambient'
      ? ''
      : `  access_key                  = "${opts.keys?.id ?? 'test'}"
  secret_key                  = "${opts.keys?.secret ?? 'test'}"
`;
  return `provider "aws" {
${opts.alias ? `  alias    = "${opts.alias}"\n` : ''}${opts.forEach ? `  for_each = ${opts.forEach}\n  region   = each.key\n` : ''}${keys}  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
${services.map((s) => `    ${s} = "${endpoint}"`).join('\n')}
  }
}
`;
}

/** Override for an S3 backend so that it talks to moto. */
export function s3BackendOverride(endpoint: string, settings: Record<string, string | boolean>): string {
  const lines = Object.entries(settings).map(([k, v]) => `    ${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return `terraform {
  backend "s3" {
${lines.join('\n')}
    endpoints = {
      s3       = "${endpoint}"
      dynamodb = "${endpoint}"
      sts      = "${endpoint}"
      iam      = "${endpoint}"
    }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }
}
`;
}
