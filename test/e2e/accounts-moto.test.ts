// --accounts against moto, which keeps every resource per account and hands out credentials of
// the account named in an assumed role's ARN: bootstrap creates each environment's bucket, key and
// CI roles in that environment's account only; a root inits, encrypts and applies in its own
// account; a root pointed at another account is refused by the provider (allowed_account_ids).
// The runner's own credentials are moto's default account, standing in for the management account.
// Endpoint overrides live only in test-only files (moto_override.tf, moto.s3.tfbackend).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMarker, expectEnvelope, pointAtMoto, scaffold, tofuOk } from '../harness/generated.js';
import { awsProviderOverride, motoPython, startMoto, type Moto, type MotoKeys, type PolicyDocument } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';
import { tofuEnv } from '../harness/toolchain.js';
import { decide } from '../harness/iam-policy.js';

const ACCOUNTS = { dev: '111111111111', prod: '222222222222' };
/** moto's account for credentials it did not issue: the runner's (management) account. */
const HOME = '123456789012';
const MARKER = `s3cr3t-marker-${process.pid}`;
const bucket = (env: string) => `acme-tofu-state-${env}`;

/** What one moto account holds, read with that account's credentials (AssumeRole into it). */
interface Inventory {
  buckets: string[];
  aliases: string[];
  roles: string[];
  oidc: string[];
}

/** Reads and changes moto as one account: AssumeRole into it (the runner's own keys for HOME). */
const AS_ACCOUNT = `
import boto3, json, sys
endpoint, ca, account, op, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
base = dict(endpoint_url=endpoint, region_name="eu-west-1", verify=ca)
keys = dict(aws_access_key_id="test", aws_secret_access_key="test")
if account != "${HOME}":
    c = boto3.client("sts", **keys, **base).assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="test")["Credentials"]
    keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
assert boto3.client("sts", **keys, **base).get_caller_identity()["Account"] == account
s3 = boto3.client("s3", **keys, **base)
if op == "inventory":
    iam = boto3.client("iam", **keys, **base)
    print(json.dumps({
        "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
        "aliases": sorted(a["AliasName"] for a in boto3.client("kms", **keys, **base).list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")),
        "roles": sorted(r["Arn"] for r in iam.list_roles()["Roles"]),
        "oidc": sorted(p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]),
    }))
elif op == "delete-policy":
    s3.delete_bucket_policy(Bucket=args[0])
elif op == "get":
    print(s3.get_object(Bucket=args[0], Key=args[1])["Body"].read().decode(), end="")
elif op == "role":
    iam = boto3.client("iam", **keys, **base)
    name = args[0].split("/")[-1]
    print(json.dumps({
        "trust": iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"],
        "policies": [iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"] for p in iam.list_role_policies(RoleName=name)["PolicyNames"]],
    }))
elif op == "web-identity":
    # What a CI job holds: the role's session from an OIDC token (moto checks no signature).
    c = boto3.client("sts", **base).assume_role_with_web_identity(RoleArn=args[0], RoleSessionName="ci", WebIdentityToken="token")["Credentials"]
    print(json.dumps({"AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"], "AWS_SESSION_TOKEN": c["SessionToken"]}))
`;

function asAccount(moto: Moto, account: string, args: string[]): string {
  const r = spawnSync(motoPython(), ['-c', AS_ACCOUNT, moto.endpoint, moto.env.AWS_CA_BUNDLE!, account, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const inventory = (moto: Moto, account: string) => JSON.parse(asAccount(moto, account, ['inventory'])) as Inventory;

/**
 * Points a generated root at moto like pointAtMoto, with one difference: the provider asks STS
 * who it is (skip_requesting_account_id = false), so allowed_account_ids is checked for real; with
 * keys, as those credentials (a CI job's session) instead of the runner's.
 */
function pointAtMotoCheckingAccount(dir: string, moto: Moto, keys?: MotoKeys): void {
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
 * is lifted in this test copy only. Where each object lands is read back per account below; the
 * allowed_account_ids refusal is proven on a root.
 */
function pointBootstrapAtMoto(dir: string, moto: Moto): void {
  pointAtMoto(dir, moto, { byRegion: false });
  const perAccount = awsProviderOverride(moto.endpoint, { alias: 'account' }).replace('  access_key', '  allowed_account_ids         = null\n  access_key');
  writeFileSync(join(dir, 'moto_override.tf'), [awsProviderOverride(moto.endpoint), perAccount].join('\n'));
}

describe('--accounts: each environment in its own account (directory layout, S3, aws_kms)', () => {
  let moto: Moto;
  let repo: string;
  let outputs: Record<string, { value: unknown }>;

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold([
      '--name',
      'acme',
      '--envs',
      'dev,prod',
      '--modules',
      'network',
      '--ci',
      'github',
      '--github-repo',
      'acme/infra',
      '--accounts',
      `dev=${ACCOUNTS.dev},prod=${ACCOUNTS.prod}`,
    ]);
    const dir = join(repo, 'bootstrap');
    pointBootstrapAtMoto(dir, moto);
    await tofuOk(dir, ['init', '-input=false'], moto.env);
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false'], moto.env);
    const out = await tofuOk(dir, ['output', '-json'], moto.env);
    outputs = JSON.parse(out.slice(out.indexOf('{'))) as Record<string, { value: unknown }>;
    // moto applies the TLS-only Deny without its condition (see Moto.s3DeletePolicy): lift it, as each bucket's account.
    for (const [env, account] of Object.entries(ACCOUNTS)) asAccount(moto, account, ['delete-policy', bucket(env)]);
  });
  afterAll(async () => moto?.stop());

  it("bootstrap created each environment's bucket, key, OIDC provider and CI roles in its account and in no other", () => {
    for (const [env, account] of Object.entries(ACCOUNTS)) {
      const other = env === 'dev' ? 'prod' : 'dev';
      const held = inventory(moto, account);
      expect(held.buckets).toEqual([bucket(env)]);
      expect(held.aliases).toEqual([`alias/opentofu-state-acme-${env}`]);
      expect(held.roles).toEqual([`arn:aws:iam::${account}:role/acme-tofu-github-apply-${env}`, `arn:aws:iam::${account}:role/acme-tofu-github-plan-${env}`]);
      expect(held.oidc).toEqual([`arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`]);
      expect(held.buckets).not.toContain(bucket(other));
    }
    const home = inventory(moto, HOME);
    // Bootstrap's own state home stays in the account whose credentials ran it; no environment's state is there.
    expect(home.buckets).toEqual(['acme-tofu-bootstrap-state']);
    expect(home.aliases).toEqual(['alias/opentofu-bootstrap-acme']);
    expect(home.roles).toEqual([]);
  });

  it("outputs CI role ARNs and key ARNs that carry each environment's account", () => {
    const roles = (outputs.ci_role_arns!.value as Record<string, Record<string, { plan: string; apply: string }>>).github!;
    const keys = outputs.kms_key_arns!.value as Record<string, string>;
    for (const [env, account] of Object.entries(ACCOUNTS)) {
      expect(roles[env]).toEqual({
        plan: `arn:aws:iam::${account}:role/acme-tofu-github-plan-${env}`,
        apply: `arn:aws:iam::${account}:role/acme-tofu-github-apply-${env}`,
      });
      expect(keys[env]).toMatch(new RegExp(`^arn:aws:kms:eu-west-1:${account}:key/`));
    }
  });

  it("a root inits, encrypts and applies in its own account's bucket with its own account's key", async () => {
    const dir = join(repo, 'environments', 'dev');
    pointAtMotoCheckingAccount(dir, moto);
    addMarker(dir);
    const init = await tofuOk(dir, ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], moto.env);
    expect(init).toContain('Successfully configured the backend "s3"');
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false', '-target=terraform_data.marker', `-var=marker_secret=${MARKER}`], moto.env);
    // The runner's own credentials are the management account's: reading the state back needs the dev account's.
    const stateKey = 'environments/dev/terraform.tfstate';
    const state = asAccount(moto, ACCOUNTS.dev, ['get', bucket('dev'), stateKey]);
    expectEnvelope(state, MARKER);
    expect((await tofu(dir, ['output', '-raw', 'marker'], moto.env)).stdout).toBe(MARKER);
  });

  it("refuses a root whose provider reaches another environment's account (negative control)", async () => {
    const dir = join(repo, 'environments', 'dev');
    const wrong = join(dir, 'wrong_account_override.tf');
    writeFileSync(
      wrong,
      ['', '  alias = "by_region"\n']
        .map(
          (alias) => `provider "aws" {
${alias}  assume_role {
    role_arn = "arn:aws:iam::${ACCOUNTS.prod}:role/OrganizationAccountAccessRole"
  }
}
`,
        )
        .join('\n'),
    );
    try {
      const r = await tofu(dir, ['plan', '-input=false', `-var=marker_secret=${MARKER}`], moto.env);
      expect(r.exitCode, r.all).not.toBe(0);
      expect(r.all).toMatch(new RegExp(`account ID not allowed.*${ACCOUNTS.prod}`, 'is'));
    } finally {
      rmSync(wrong);
    }
    // Without the override the same root plans again: the refusal was the wrong account, nothing else.
    await tofuOk(dir, ['plan', '-input=false', `-var=marker_secret=${MARKER}`], moto.env);
  });

  it("in CI a root plans as the job's own role: each CI role may assume itself, and no other environment's", async () => {
    const roles = (outputs.ci_role_arns!.value as Record<string, Record<string, { plan: string; apply: string }>>).github!;
    const dev = roles.dev!.plan;
    const prod = roles.prod!.plan;
    const policiesOf = (arn: string, account: string) =>
      JSON.parse(asAccount(moto, account, ['role', arn])) as { trust: PolicyDocument; policies: PolicyDocument[] };
    const own = policiesOf(dev, ACCOUNTS.dev);
    const assume = (principal: string, target: string, trust: PolicyDocument, identity = own.policies) =>
      decide(identity, { principal, action: 'sts:AssumeRole', resource: target, resourcePolicy: trust, context: { 'aws:PrincipalArn': principal } });
    // What bootstrap created, decided as IAM would (moto does not evaluate trust policies).
    expect(await assume(dev, dev, own.trust)).toBe('Allowed');
    expect(await assume(dev, prod, policiesOf(prod, ACCOUNTS.prod).trust), "dev's role into prod's").toBe('ImplicitlyDenied');
    // Negative controls: the trust policy without its self statement (the implicit self-trust AWS
    // removed in 2022), and OrganizationAccountAccessRole, which trusts the management account only.
    const withoutSelf = { ...own.trust, Statement: [own.trust.Statement].flat().filter((st) => st.Sid !== 'ThisRoleForTheRoots') };
    expect(withoutSelf.Statement.length).toBe([own.trust.Statement].flat().length - 1);
    expect(await assume(dev, dev, withoutSelf)).toBe('ImplicitlyDenied');
    const organizationRole = `arn:aws:iam::${ACCOUNTS.dev}:role/OrganizationAccountAccessRole`;
    const managementOnly = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${HOME}:root` } }],
    } as PolicyDocument;
    expect(
      await assume(dev, organizationRole, managementOnly, [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
      ] as PolicyDocument[]),
    ).toBe('ImplicitlyDenied');

    // The job's credentials (its web-identity session) and the name the pipelines derive from its ARN.
    const session = JSON.parse(asAccount(moto, ACCOUNTS.dev, ['web-identity', dev])) as Record<string, string>;
    const job = { ...moto.env, ...session, TF_VAR_account_role_name: dev.split('/').pop()! };
    const dir = join(repo, 'environments', 'dev');
    pointAtMotoCheckingAccount(dir, moto, { id: session.AWS_ACCESS_KEY_ID!, secret: session.AWS_SECRET_ACCESS_KEY! });
    await tofuOk(dir, ['init', '-input=false', '-reconfigure', '-backend-config=moto.s3.tfbackend'], job);
    const plan = await tofuOk(dir, ['plan', '-input=false', `-var=marker_secret=${MARKER}`], job);
    expect(plan).toMatch(/Plan: \d+ to add|No changes/);
  });

  it("remove-environment prod --drop, by the real nx: bootstrap's next apply deletes prod's key and roles in prod's account", async () => {
    const nxEnv = { CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
    const run = (cmd: string, args: string[]) => execa(cmd, args, { cwd: repo, env: tofuEnv(nxEnv), reject: false, all: true });
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
    expect(install.exitCode, install.all).toBe(0);
    const nx = (...args: string[]) => run(join(repo, 'node_modules', '.bin', 'nx'), ['g', 'remove-environment', 'prod', '--production', ...args]);
    const disable = await nx();
    expect(disable.exitCode, disable.all).toBe(0);
    const drop = await nx('--drop');
    expect(drop.exitCode, drop.all).toBe(0);
    const tfvars = join(repo, 'bootstrap', 'environments.auto.tfvars.json');
    expect(JSON.parse(readFileSync(tfvars, 'utf8'))).toMatchObject({ retired_accounts: { prod: ACCOUNTS.prod } });

    const dir = join(repo, 'bootstrap');
    // Negative control: the entry gone without its account kept (the old --drop) loses the provider instance.
    const old = await tofu(dir, ['plan', '-input=false', '-refresh=false', '-var=retired_accounts={}'], moto.env);
    expect(old.exitCode).not.toBe(0);
    expect(old.all).toMatch(/Provider instance not present[\s\S]*\.account\["prod"\]/);

    // The printed steps, run as printed: forget prod's bucket (prevent_destroy), apply, drop the retired entry.
    const forget = /tofu state rm (.*)/.exec(drop.all)?.[1];
    expect(forget, drop.all).toBeDefined();
    const addresses = [...forget!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(addresses).toContain(`aws_s3_bucket.state["${bucket('prod')}"]`);
    await tofuOk(dir, ['state', 'rm', ...addresses], moto.env);
    const apply = await tofuOk(dir, ['apply', '-auto-approve', '-input=false'], moto.env);
    expect(apply).toMatch(/Apply complete! Resources: \d+ added, \d+ changed, [1-9]\d* destroyed/);
    const destroyed = [...apply.matchAll(/# (\S+) will be destroyed/g)].map((m) => m[1]!);
    expect(destroyed).toContain('aws_kms_key.state["prod"]');
    expect(destroyed.filter((address) => !address.includes('prod'))).toEqual([]);
    // Step 3 (remove "prod" from retired_accounts) is safe now: nothing in the state needs aws.account["prod"].
    expect(drop.all).toContain('remove "prod" from "retired_accounts" in bootstrap/environments.auto.tfvars.json');
    const state = await tofuOk(dir, ['state', 'list'], moto.env);
    expect(state).toContain('aws_kms_key.state["dev"]');
    expect(state.split('\n').filter((address) => address.includes('prod'))).toEqual([]);

    // Prod's account keeps only its bucket, forgotten with its state history; dev's is untouched.
    expect(inventory(moto, ACCOUNTS.prod)).toEqual({ buckets: [bucket('prod')], aliases: [], roles: [], oidc: [] });
    const dev = inventory(moto, ACCOUNTS.dev);
    expect(dev.aliases).toEqual(['alias/opentofu-state-acme-dev']);
    expect(dev.roles).toHaveLength(2);
    expect(dev.oidc).toHaveLength(1);
  });
});
