// --layout hybrid --accounts against moto: in CI a service root reads shared/ (terraform_remote_state
// and the `shared` key provider) as account_role_name in the shared account, and the pipelines set
// account_role_name to the job's own CI role. Bootstrap gives each CI role a reader role of the same
// name in the shared account; this proves a dev plan job's session plans the dev service root with
// shared's outputs read through it.
// moto lets any credentials assume any role ARN, existing or not, and evaluates no trust policy
// (with IAM enforced it would compare principals as plain strings, which a role session never
// equals). So what AWS would decide is decided here by the IAM simulator, over the roles bootstrap
// created as moto holds them: every call the plan made (moto's request recorder) that assumes a
// role or touches shared's state or key, and the refusals (another role into dev's reader, the
// reader writing shared's state). Rendered without the reader roles, every test but the plan's fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/tmp.js';
import { applyBootstrapSkippingLifecycleRules, scaffold, tofuOk } from '../harness/generated.js';
import { startMoto, type Moto, type PolicyDocument } from '../harness/moto.js';
import { decide } from '../harness/iam-policy.js';
import {
  asAccount,
  pointAtMotoCheckingAccount,
  pointBootstrapAtMoto,
  recordedCalls,
  roleOf,
  webIdentitySession,
  type RecordedCall,
} from '../harness/accounts.js';

const ACCOUNTS = { dev: '111111111111', shared: '333333333333' };
const PROD = '222222222222';
/** What shared/ outputs for the services to read (test-only output): the plan must show it. */
const FACT = `read-from-shared-${process.pid}`;
const SHARED_STATE = { bucket: 'acme-tofu-state-shared', key: 'shared/terraform.tfstate' };

const SHARED_FACT_TF = `# test-only: an output of shared/ that a service root reads
resource "terraform_data" "fact" {
  input = "${FACT}"
}

output "fact" {
  value = terraform_data.fact.output
}
`;

/**
 * shared/'s outputs that the services use, in their shape but without the network this test does
 * not apply (a test-only override). Each depends on the fact: a targeted apply writes only the
 * outputs of its targets.
 */
const SHARED_OUTPUTS_OVERRIDE = `output "vpc_ids" {
  value = { "eu-west-1" = terraform_data.fact.output }
}

output "private_subnet_ids" {
  value = { "eu-west-1" = [terraform_data.fact.output] }
}
`;

const SERVICE_READ_TF = `# test-only: a resource of the service root built from what it read in shared/
resource "terraform_data" "shared_fact" {
  input = data.terraform_remote_state.shared.outputs.fact
}
`;

/** The root's terraform_remote_state with its generated config and moto's endpoint (test-only override: tofu replaces `config` whole). */
function remoteStateAtMoto(dir: string, moto: Moto): void {
  const main = readFileSync(join(dir, 'main.tf'), 'utf8');
  const remote = /data "terraform_remote_state" "(\w+)" \{\n\s+backend = "s3"\n\n\s+config = \{\n([\s\S]*?)\n\s+\}\n\}/.exec(main);
  expect(remote, `${dir}/main.tf reads no s3 remote state`).not.toBeNull();
  writeFileSync(
    join(dir, 'remote_state_override.tf'),
    `data "terraform_remote_state" "${remote![1]}" {
  backend = "s3"

  config = {
${remote![2]}
    endpoints                   = { s3 = "${moto.endpoint}", sts = "${moto.endpoint}" }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }
}
`,
  );
}

describe('--layout hybrid --accounts: a CI job of dev reads shared/ in its own account through its reader role', () => {
  let moto: Moto;
  let repo: string;
  let recording: string;
  let outputs: Record<string, { value: unknown }>;
  let calls: RecordedCall[];
  let plan: string;
  const planRole = `arn:aws:iam::${ACCOUNTS.dev}:role/acme-tofu-github-plan-dev`;
  const applyRole = `arn:aws:iam::${ACCOUNTS.dev}:role/acme-tofu-github-apply-dev`;
  const reader = `arn:aws:iam::${ACCOUNTS.shared}:role/acme-tofu-github-plan-dev`;

  beforeAll(async () => {
    recording = join(tempDir('cti-moto-rec-'), 'recording.jsonl');
    moto = await startMoto({ env: { MOTO_RECORDER_FILEPATH: recording } });
    repo = await scaffold([
      '--name',
      'acme',
      '--layout',
      'hybrid',
      '--envs',
      'dev',
      '--modules',
      'network',
      '--ci',
      'github',
      '--github-repo',
      'acme/infra',
      '--accounts',
      `dev=${ACCOUNTS.dev},shared=${ACCOUNTS.shared}`,
    ]);
    // bootstrap, as a person runs it: management-account credentials. All of it but the state
    // buckets' lifecycle rules, which nothing here reads (about 55 s of the provider's waiting).
    const boot = join(repo, 'bootstrap');
    pointBootstrapAtMoto(boot, moto);
    await tofuOk(boot, ['init', '-input=false'], moto.env);
    await applyBootstrapSkippingLifecycleRules(boot, moto.env);
    const out = await tofuOk(boot, ['output', '-json'], moto.env);
    outputs = JSON.parse(out.slice(out.indexOf('{'))) as Record<string, { value: unknown }>;
    // moto applies the TLS-only Deny without its condition (see Moto.s3DeletePolicy): lift it, as each bucket's account.
    for (const [env, account] of Object.entries(ACCOUNTS)) asAccount(moto, account, ['delete-policy', `acme-tofu-state-${env}`]);

    // shared/, as a person applies it (account_role_name's default), with one output for the services.
    const shared = join(repo, 'shared');
    pointAtMotoCheckingAccount(shared, moto);
    writeFileSync(join(shared, 'fact.tf'), SHARED_FACT_TF);
    writeFileSync(join(shared, 'outputs_override.tf'), SHARED_OUTPUTS_OVERRIDE);
    await tofuOk(shared, ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], moto.env);
    await tofuOk(shared, ['apply', '-auto-approve', '-input=false', '-target=terraform_data.fact'], moto.env);

    // The dev service root, as dev's plan job: its web-identity session, account_role_name = its role's name.
    const session = webIdentitySession(moto, planRole);
    const job = { ...moto.env, ...session, TF_VAR_account_role_name: planRole.split('/').pop()! };
    const dir = join(repo, 'services', 'app', 'envs', 'dev');
    pointAtMotoCheckingAccount(dir, moto, { id: session.AWS_ACCESS_KEY_ID, secret: session.AWS_SECRET_ACCESS_KEY });
    remoteStateAtMoto(dir, moto);
    writeFileSync(join(dir, 'shared_read.tf'), SERVICE_READ_TF);
    writeFileSync(recording, '');
    await moto.recorder('start-recording');
    await tofuOk(dir, ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], job);
    plan = await tofuOk(dir, ['plan', '-input=false', '-target=terraform_data.shared_fact'], job);
    await moto.recorder('stop-recording');
    calls = recordedCalls(moto, recording);
  });
  afterAll(async () => moto?.stop());

  it("bootstrap created a reader role named like each of dev's CI roles in the shared account, and output its ARN", () => {
    expect(outputs.ci_reader_role_arns!.value).toEqual({
      'github/dev/plan/shared': reader,
      'github/dev/apply/shared': `arn:aws:iam::${ACCOUNTS.shared}:role/acme-tofu-github-apply-dev`,
    });
    expect(roleOf(moto, reader)!.inline).toEqual(['read-state-shared']);
    // shared's own CI roles read nothing elsewhere: no reader of theirs, and none in dev's account.
    expect(roleOf(moto, `arn:aws:iam::${ACCOUNTS.dev}:role/acme-tofu-github-plan-shared`)).toBeNull();
    expect(roleOf(moto, planRole)!.inline.sort()).toEqual(['assume-itself', 'assume-state-readers']);
  });

  it("dev's plan job plans the service root with shared's outputs, read as its own role name in the shared account", () => {
    expect(plan).toContain(FACT);
    expect(plan).toMatch(/Plan: 1 to add/);
    // The reads went where the generated roots say: shared's state object, through dev's reader. moto
    // lets this through with or without the reader role (it was, before bootstrap made one): the
    // next test decides the calls as IAM would.
    expect(calls).toContainEqual(expect.objectContaining({ action: 's3:GetObject', resource: `arn:aws:s3:::${SHARED_STATE.bucket}/${SHARED_STATE.key}` }));
    expect(calls).toContainEqual(expect.objectContaining({ action: 'sts:AssumeRole', resource: reader }));
  });

  /** Every role assumption, and every call on shared's state or key, that the plan made and IAM would refuse (as moto holds the roles now). */
  async function refusals(): Promise<string[]> {
    const sharedKey = (outputs.kms_key_arns!.value as Record<string, string>).shared!;
    const keyPolicy = JSON.parse(asAccount(moto, ACCOUNTS.shared, ['key-policy', sharedKey])) as PolicyDocument;
    const onShared = (c: RecordedCall) =>
      c.resource !== null &&
      (c.resource.startsWith(`arn:aws:s3:::${SHARED_STATE.bucket}`) ||
        [sharedKey, sharedKey.split('/').pop(), 'alias/opentofu-state-acme-shared'].includes(c.resource));
    const refused: string[] = [];
    const job = roleOf(moto, planRole)!;
    // The job's session is dev's plan role: every role it assumed must trust it and be allowed by its own policies.
    for (const target of new Set(calls.filter((c) => c.action === 'sts:AssumeRole').map((c) => c.resource!))) {
      const role = roleOf(moto, target);
      const decision = role
        ? await decide(job.policies, {
            principal: planRole,
            action: 'sts:AssumeRole',
            resource: target,
            resourcePolicy: role.trust,
            context: { 'aws:PrincipalArn': planRole },
          })
        : 'no such role';
      if (decision !== 'Allowed') refused.push(`dev's plan role: sts:AssumeRole ${target} (${decision})`);
    }
    // Only the reader reaches the shared account: each of its calls there, with the key's policy for KMS.
    const theReader = roleOf(moto, reader);
    // Listing env:/ is the workspace listing: the reader may not, and OpenTofu ignores that AccessDenied (opentofu#1445).
    const workspaceListing = (c: RecordedCall) => c.action === 's3:ListBucket' && c.prefix === 'env:/';
    for (const c of new Map(calls.filter((c) => onShared(c) && !workspaceListing(c)).map((c) => [`${c.action} ${c.resource}`, c])).values()) {
      const kms = c.action.startsWith('kms:');
      const decision = theReader
        ? await decide(theReader.policies, {
            principal: reader,
            action: c.action,
            resource: kms ? sharedKey : c.resource!,
            ...(kms ? { resourcePolicy: keyPolicy } : {}),
          })
        : 'no such role';
      if (decision !== 'Allowed') refused.push(`dev's reader: ${c.action} ${c.resource} (${decision})`);
    }
    return refused;
  }

  it('every role assumption and every call on shared state or key that the plan made is allowed (IAM simulator)', async () => {
    const actions = calls.filter((c) => c.resource?.includes(SHARED_STATE.bucket) || c.action.startsWith('kms:')).map((c) => c.action);
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 'kms:Decrypt']));
    expect(calls.filter((c) => c.action === 'sts:AssumeRole').map((c) => c.resource)).toEqual(expect.arrayContaining([planRole, reader]));
    expect(await refusals()).toEqual([]);
  });

  it('the reader trusts its CI role only, reads shared state only, and writes nothing (IAM simulator)', async () => {
    const theReader = roleOf(moto, reader)!;
    const anything = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }] as PolicyDocument[];
    const assume = (principal: string, trust = theReader.trust, identity = anything) =>
      decide(identity, { principal, action: 'sts:AssumeRole', resource: reader, resourcePolicy: trust, context: { 'aws:PrincipalArn': principal } });
    expect(await assume(planRole, theReader.trust, roleOf(moto, planRole)!.policies)).toBe('Allowed');
    // Whatever their own policies say, no other role gets in: another environment's, dev's apply role.
    expect(await assume(`arn:aws:iam::${PROD}:role/acme-tofu-github-plan-prod`), "prod's plan role").toBe('ImplicitlyDenied');
    expect(await assume(applyRole), "dev's apply role").toBe('ImplicitlyDenied');
    const object = `arn:aws:s3:::${SHARED_STATE.bucket}/${SHARED_STATE.key}`;
    const as = (action: string, resource: string) => decide(theReader.policies, { principal: reader, action, resource });
    expect(await as('s3:GetObject', object)).toBe('Allowed');
    for (const action of ['s3:PutObject', 's3:DeleteObject']) expect(await as(action, object), action).toBe('ImplicitlyDenied');
    expect(await as('s3:PutObject', `${object}.tflock`), 'the lock').toBe('ImplicitlyDenied');
    expect(
      await decide(theReader.policies, {
        principal: reader,
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${SHARED_STATE.bucket}`,
        context: { 's3:prefix': 'env:/' },
      }),
    ).toBe('ImplicitlyDenied');
    expect(await as('s3:GetObject', `arn:aws:s3:::acme-tofu-state-dev/services/app/envs/dev/terraform.tfstate`), "dev's state").toBe('ImplicitlyDenied');
  });

  it('negative controls: without the trust, without the CI role\'s "assume-state-readers", without the reader role', async () => {
    const theReader = roleOf(moto, reader)!;
    const own = roleOf(moto, planRole)!;
    const assume = (trust: PolicyDocument, identity: PolicyDocument[]) =>
      decide(identity, { principal: planRole, action: 'sts:AssumeRole', resource: reader, resourcePolicy: trust, context: { 'aws:PrincipalArn': planRole } });
    const untrusting = { ...theReader.trust, Statement: [] } as PolicyDocument;
    expect(await assume(untrusting, own.policies)).toBe('ImplicitlyDenied');
    // Across accounts both sides must allow: the CI role's own policies without the reader's ARN refuse it.
    const withoutReaders = own.policies.filter((p) => !JSON.stringify(p).includes(reader));
    expect(withoutReaders.length).toBe(own.policies.length - 1);
    expect(await assume(theReader.trust, withoutReaders)).toBe('ImplicitlyDenied');
    // Without the reader role (as before this change) the plan's AssumeRole into the shared account has no role to trust it.
    asAccount(moto, ACCOUNTS.shared, ['delete-role', reader.split('/').pop()!]);
    expect(await refusals()).toContain(`dev's plan role: sts:AssumeRole ${reader} (no such role)`);
  });
});
