// The generated repository keeps its promise about state, proven against moto: the bootstrap stack
// creates what the roots need, every environment root inits with its real backend and aws_kms
// encryption, state and plans never hold a secret in plaintext, and a held lock refuses a second run.
// Endpoint overrides live only in test-only files (moto_override.tf, moto.s3.tfbackend).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMarker, bootstrapAgainstMoto, expectEnvelope, pointAtMoto, scaffold, tofuOk } from '../harness/generated.js';
import { startMoto, type Moto } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

const MARKER = `s3cr3t-marker-${process.pid}`;
const init = ['init', '-input=false', '-backend-config=moto.s3.tfbackend'];
const applyMarker = (marker = MARKER, extra: string[] = []) => [
  'apply',
  '-auto-approve',
  '-input=false',
  '-target=terraform_data.marker',
  '-target=terraform_data.hold',
  `-var=marker_secret=${marker}`,
  ...extra,
];

/** Holds the lock of `root` with a slow apply, and proves that a second apply is refused meanwhile. */
async function expectLockRefusal(dir: string, moto: Moto, holding: () => boolean): Promise<void> {
  const first = execa(toolchain().tofu, [...applyMarker(MARKER, ['-var=hold_seconds=20', `-var=hold_token=${Date.now()}`]), '-no-color'], {
    cwd: dir,
    env: tofuEnv(moto.env),
    all: true,
    reject: false,
  });
  const deadline = Date.now() + 90_000;
  while (!holding()) {
    if (Date.now() > deadline) throw new Error(`the first apply never took the lock:\n${(await first.catch((e) => e)).all ?? ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const second = await tofu(dir, [...applyMarker(), '-lock-timeout=0s'], moto.env);
  expect(second.exitCode).not.toBe(0);
  expect(second.all).toContain('Error acquiring the state lock');
  const done = await first;
  expect(done.exitCode, done.all).toBe(0);
}

describe('directory layout, S3 use_lockfile, aws_kms', () => {
  let moto: Moto;
  let repo: string;
  const BUCKET = (env: string) => `acme-tofu-state-${env}`;

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold(['--name', 'acme', '--envs', 'dev,prod', '--modules', 'network']);
    await bootstrapAgainstMoto(repo, moto);
    for (const env of ['dev', 'prod']) {
      const dir = join(repo, 'environments', env);
      pointAtMoto(dir, moto, { byRegion: true });
      addMarker(dir);
    }
  });
  afterAll(async () => moto?.stop());

  it('bootstrap created a versioned bucket and a KMS alias per environment', async () => {
    const out = await tofuOk(join(repo, 'bootstrap'), ['output', '-json'], moto.env);
    const outputs = JSON.parse(out.slice(out.indexOf('{')));
    expect(outputs.state_buckets.value).toEqual({ dev: BUCKET('dev'), prod: BUCKET('prod') });
    expect(Object.keys(outputs.kms_key_arns.value)).toEqual(['dev', 'prod']);
    expect(Object.keys(outputs.ci_policy_arns.value)).toEqual(['dev', 'prod']);
    expect(moto.s3List(BUCKET('dev'))).toEqual([]);
  });

  it('inits every environment root with its real backend and writes only encrypted state', async () => {
    for (const env of ['dev', 'prod']) {
      const dir = join(repo, 'environments', env);
      const initOut = await tofuOk(dir, init, moto.env);
      expect(initOut).toContain('Successfully configured the backend "s3"');
      await tofuOk(dir, applyMarker(`${MARKER}-${env}`), moto.env);
      expectEnvelope(moto.s3Get(BUCKET(env), `environments/${env}/terraform.tfstate`), `${MARKER}-${env}`);
      // tofu reads it back through the environment's KMS key.
      expect((await tofu(dir, ['output', '-raw', 'marker'], moto.env)).stdout).toBe(`${MARKER}-${env}`);
    }
    // Each environment's state is in its own bucket, and nowhere else.
    expect(moto.s3List(BUCKET('dev'))).toEqual(['environments/dev/terraform.tfstate']);
    expect(moto.s3List(BUCKET('prod'))).toEqual(['environments/prod/terraform.tfstate']);
  });

  it('saves plans encrypted: no secret, no plaintext plan archive', async () => {
    const dir = join(repo, 'environments', 'dev');
    await tofuOk(dir, ['plan', '-input=false', '-out=plan.tfplan', '-target=terraform_data.marker', `-var=marker_secret=${MARKER}-plan`], moto.env);
    const plan = readFileSync(join(dir, 'plan.tfplan'));
    expect(plan.includes(`${MARKER}-plan`)).toBe(false);
    expect(plan.subarray(0, 2).toString()).not.toBe('PK'); // an unencrypted plan is a zip archive
    expect(JSON.parse(plan.toString())).toHaveProperty('encrypted_data');
    await tofuOk(dir, ['apply', '-input=false', 'plan.tfplan'], moto.env);
    expectEnvelope(moto.s3Get(BUCKET('dev'), 'environments/dev/terraform.tfstate'), `${MARKER}-plan`);
  });

  it("refuses to read an environment's state with another environment's key", async () => {
    const dir = join(repo, 'environments', 'dev');
    const otherKey = 'key_provider "aws_kms" "dev" {\n  kms_key_id = "alias/opentofu-state-acme-prod"\n  region = "eu-west-1"\n  key_spec = "AES_256"\n}';
    const r = await tofu(dir, ['plan', '-input=false', '-target=terraform_data.marker', `-var=marker_secret=${MARKER}`], {
      ...moto.env,
      TF_ENCRYPTION: otherKey,
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/decrypt|encryption/i);
  });

  it('refuses a second apply while the first holds the lock file', async () => {
    const dir = join(repo, 'environments', 'dev');
    await expectLockRefusal(dir, moto, () => moto.s3Get(BUCKET('dev'), 'environments/dev/terraform.tfstate.tflock') !== undefined);
  });
});

describe('directory layout, S3 with DynamoDB locking', () => {
  let moto: Moto;
  let repo: string;

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--modules', 'network', '--lock', 'dynamodb']);
    await bootstrapAgainstMoto(repo, moto);
    const dir = join(repo, 'environments', 'dev');
    pointAtMoto(dir, moto, { byRegion: true });
    addMarker(dir);
    await tofuOk(dir, init, moto.env);
    await tofuOk(dir, applyMarker(), moto.env);
  });
  afterAll(async () => moto?.stop());

  it('bootstrap created the lock table', async () => {
    const out = await tofuOk(join(repo, 'bootstrap'), ['output', '-json', 'lock_tables'], moto.env);
    expect(JSON.parse(out)).toEqual({ dev: 'acme-tofu-lock-dev' });
  });

  it('refuses a second apply while the first holds the DynamoDB lock', async () => {
    const dir = join(repo, 'environments', 'dev');
    const python = join(toolchain().motoServer, '..', 'python');
    const lockItems = () => {
      const r = execaSync(python, [
        '-c',
        `import boto3; d=boto3.client("dynamodb", endpoint_url="${moto.endpoint}", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test", verify="${moto.env.AWS_CA_BUNDLE}"); print(sum(1 for i in d.scan(TableName="acme-tofu-lock-dev")["Items"] if "Info" in i))`,
      ]);
      return Number(r.stdout.trim());
    };
    expect(lockItems()).toBe(0);
    await expectLockRefusal(dir, moto, () => lockItems() > 0);
    // no lock file object: DynamoDB alone does the locking here
    expect(moto.s3List('acme-tofu-state-dev').filter((k) => k.endsWith('.tflock'))).toEqual([]);
  });
});

describe('workspace layout', () => {
  let moto: Moto;
  afterAll(async () => moto?.stop());

  it('keeps each workspace state under env:/<workspace>/ in the shared bucket, encrypted with its own key', async () => {
    moto = await startMoto();
    const repo = await scaffold(['--name', 'acme', '--layout', 'workspace', '--envs', 'dev,prod', '--modules', 'network']);
    await bootstrapAgainstMoto(repo, moto);
    const dir = join(repo, 'infra');
    pointAtMoto(dir, moto, { byRegion: true });
    addMarker(dir);
    await tofuOk(dir, init, moto.env);
    for (const env of ['dev', 'prod']) {
      // TF_WORKSPACE selects the environment before anything is read or written, so even the
      // workspace's first (empty) state is encrypted with that environment's key.
      await tofuOk(dir, [...applyMarker(`${MARKER}-${env}`), `-var-file=environments/${env}.tfvars`], { ...moto.env, TF_WORKSPACE: env });
    }
    expect(moto.s3List('acme-tofu-state').sort()).toEqual(['env:/dev/terraform.tfstate', 'env:/prod/terraform.tfstate']);
    for (const env of ['dev', 'prod']) expectEnvelope(moto.s3Get('acme-tofu-state', `env:/${env}/terraform.tfstate`), `${MARKER}-${env}`);
    // The guard refuses the default workspace.
    const guarded = await tofu(
      dir,
      ['plan', '-input=false', '-target=terraform_data.workspace_guard', '-var-file=environments/dev.tfvars', `-var=marker_secret=${MARKER}`],
      moto.env,
    );
    expect(guarded.exitCode).not.toBe(0);
    expect(guarded.all).toContain('is not an environment of this repository');
  });
});
