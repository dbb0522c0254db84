// Key lifecycle, proven with the real tofu: plaintext state migrates to encrypted state without
// losing anything; a pbkdf2 state rotates to aws_kms through a fallback and still reads once the
// fallback is gone; pbkdf2 works with no service at all; and the gcs, http and scaleway
// repositories' encryption blocks decode in a copy whose backend is overridden to local.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadTemplates,
  renderRepository,
  resolveSpec,
  textOf,
  type EncryptionTransition,
  type RawChoices,
} from '../../packages/create-tofu-infra/src/index.js';
import { addMarker, bootstrapAgainstMoto, pointAtMoto, scaffold, tofuOk } from '../harness/generated.js';
import { startMoto, type Moto } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';

const MARKER = `k3y-change-marker-${process.pid}`;
const PASSPHRASE = 'correct horse battery staple 42';
const targets = ['-target=terraform_data.marker', '-target=terraform_data.hold'];

/** encryption.tf of environments/dev as the core renders it for these choices and key change (what nx g key-change writes). */
function encryptionOf(choices: RawChoices, encryption?: EncryptionTransition): string {
  const spec = resolveSpec({ name: 'acme', envs: 'dev', modules: 'network', ...choices }, { directoryName: 'acme', generatorVersion: 'test' });
  const file = renderRepository(spec, loadTemplates(), { encryption }).find((f) => f.path === 'environments/dev/encryption.tf');
  if (!file) throw new Error('no encryption.tf rendered');
  return textOf(file);
}

function expectEnvelope(body: string | undefined) {
  expect(body).toBeDefined();
  expect(body).not.toContain(MARKER);
  expect(JSON.parse(body!)).toHaveProperty('encrypted_data');
}

describe('with moto', () => {
  // A fresh emulator per test: every test bootstraps the same names.
  let moto: Moto;
  beforeEach(async () => {
    moto = await startMoto();
  });
  afterEach(async () => moto?.stop());

  it('migrates plaintext state to encrypted state, losing nothing, then enforces', async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--modules', 'network']);
    await bootstrapAgainstMoto(repo, moto);
    const dir = join(repo, 'environments', 'dev');
    pointAtMoto(dir, moto, { byRegion: true });
    addMarker(dir);
    const steady = readFileSync(join(dir, 'encryption.tf'), 'utf8');

    // An existing, unencrypted setup.
    rmSync(join(dir, 'encryption.tf'));
    await tofuOk(dir, ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], moto.env);
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], moto.env);
    const plaintext = moto.s3Get('acme-tofu-state-dev', 'environments/dev/terraform.tfstate');
    expect(plaintext).toContain(MARKER);
    const resourcesBefore = (await tofuOk(dir, ['state', 'list'], moto.env)).trim();
    const outputsBefore = (await tofu(dir, ['output', '-json'], moto.env)).stdout;

    // nx g key-change migrate, then the documented command.
    writeFileSync(join(dir, 'encryption.tf'), encryptionOf({}, { kind: 'migrate' }));
    await tofuOk(dir, ['apply', '-refresh-only', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], moto.env);
    expectEnvelope(moto.s3Get('acme-tofu-state-dev', 'environments/dev/terraform.tfstate'));
    expect((await tofuOk(dir, ['state', 'list'], moto.env)).trim()).toBe(resourcesBefore);
    expect((await tofu(dir, ['output', '-json'], moto.env)).stdout).toBe(outputsBefore);

    // nx g key-change finish: no fallback, enforced; the state still reads.
    writeFileSync(join(dir, 'encryption.tf'), steady);
    expect(steady).toContain('enforced = true');
    expect((await tofu(dir, ['output', '-raw', 'marker'], moto.env)).stdout).toBe(MARKER);
    await tofuOk(dir, ['plan', '-input=false', '-detailed-exitcode', ...targets, `-var=marker_secret=${MARKER}`], moto.env);
  });

  it('rotates pbkdf2 to aws_kms through a fallback, and reads without the passphrase afterwards', async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--modules', 'network']);
    await bootstrapAgainstMoto(repo, moto);
    const dir = join(repo, 'environments', 'dev');
    pointAtMoto(dir, moto, { byRegion: true });
    addMarker(dir);
    const withPassphrase = { ...moto.env, TF_VAR_state_passphrase: PASSPHRASE };

    writeFileSync(join(dir, 'encryption.tf'), encryptionOf({ keyProvider: 'pbkdf2' }));
    await tofuOk(dir, ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], withPassphrase);
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], withPassphrase);
    const pbkdf2State = moto.s3Get('acme-tofu-state-dev', 'environments/dev/terraform.tfstate');
    expectEnvelope(pbkdf2State);
    // Without the passphrase nothing reads it.
    expect((await tofu(dir, ['output', '-raw', 'marker'], { ...moto.env, TF_VAR_state_passphrase: 'a wrong passphrase, long enough' })).exitCode).not.toBe(0);

    // nx g key-change rotate --to aws_kms, then the documented command.
    writeFileSync(join(dir, 'encryption.tf'), encryptionOf({}, { kind: 'rotate', from: 'pbkdf2' }));
    await tofuOk(dir, ['apply', '-refresh-only', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], withPassphrase);
    const kmsState = moto.s3Get('acme-tofu-state-dev', 'environments/dev/terraform.tfstate');
    expectEnvelope(kmsState);
    expect(kmsState).not.toBe(pbkdf2State);
    expect(JSON.stringify(JSON.parse(kmsState!).meta)).toContain('aws_kms');

    // nx g key-change finish: the pbkdf2 key is gone, and no passphrase is needed to read.
    writeFileSync(join(dir, 'encryption.tf'), encryptionOf({}));
    expect(readFileSync(join(dir, 'encryption.tf'), 'utf8')).not.toContain('pbkdf2');
    expect((await tofu(dir, ['output', '-raw', 'marker'], moto.env)).stdout).toBe(MARKER);
  });

  it('http backend (GitLab state): the aws_kms encryption block decodes with the backend overridden to local', async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--modules', 'network', '--backend', 'http']);
    const dir = join(repo, 'environments', 'dev');
    // http keeps state in GitLab, so the bootstrap stack makes only the KMS key and the CI policy.
    await bootstrapAgainstMoto(repo, moto);
    pointAtMoto(dir, moto, { byRegion: true });
    addMarker(dir);
    writeFileSync(join(dir, 'backend_override.tf'), 'terraform {\n  backend "local" {}\n}\n');
    const env = { ...moto.env, TF_VAR_gitlab_project_id: '42' };
    await tofuOk(dir, ['init', '-input=false'], env);
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], env);
    expectEnvelope(readFileSync(join(dir, 'terraform.tfstate'), 'utf8'));
  });
});

describe.each(['gcs', 'scaleway', 'local'])('%s backend with pbkdf2, no service at all', (backend) => {
  it('encrypts state with the passphrase key, offline', async () => {
    const repo = await scaffold(['--name', 'acme', '--envs', 'dev', '--modules', 'network', '--backend', backend, '--key-provider', 'pbkdf2']);
    const dir = join(repo, 'environments', 'dev');
    addMarker(dir);
    if (backend !== 'local') writeFileSync(join(dir, 'backend_override.tf'), 'terraform {\n  backend "local" {}\n}\n');
    const env = { TF_VAR_state_passphrase: PASSPHRASE, AWS_ACCESS_KEY_ID: 'unused', AWS_SECRET_ACCESS_KEY: 'unused' };
    await tofuOk(dir, ['init', '-input=false'], env);
    await tofuOk(dir, ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], env);
    const state = readFileSync(join(dir, 'terraform.tfstate'), 'utf8');
    expectEnvelope(state);
    expect(JSON.stringify(JSON.parse(state).meta)).toContain('pbkdf2');
    // A short passphrase is refused by the generated validation.
    const short = await tofu(dir, ['plan', '-input=false', ...targets, `-var=marker_secret=${MARKER}`], { ...env, TF_VAR_state_passphrase: 'short' });
    expect(short.exitCode).not.toBe(0);
  });
});
