// The gcs backend, end to end against fake-gcs-server (the toolchain's build): the buckets the
// generated README tells the user to create, then every environment root inits with its real gcs
// backend and pbkdf2 encryption, writes only an encrypted state object, reads it back, and a held
// lock (the .tflock object OpenTofu writes with an ifGenerationMatch=0 precondition) refuses a
// second apply. The endpoint reaches tofu only through a test-only partial backend config
// (storage_custom_endpoint in fakegcs.gcs.tfbackend) and GOOGLE_OAUTH_ACCESS_TOKEN.
// gcp_kms has no emulator: its encryption block keeps its offline proof (ci-tools, security).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMarker, expectEnvelope, scaffold, tofuOk } from '../harness/generated.js';
import { gcsBackendConfig, startFakeGcs, type FakeGcs } from '../harness/gcs.js';
import { tofu } from '../harness/tofu.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

const MARKER = `gc5-marker-${process.pid}`;
const PASSPHRASE = (env: string) => `correct horse battery staple ${env}`;
const targets = ['-target=terraform_data.marker', '-target=terraform_data.hold'];
const applyMarker = (marker: string, extra: string[] = []) => ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${marker}`, ...extra];
const init = ['init', '-input=false', '-backend-config=fakegcs.gcs.tfbackend'];
const NO_AWS = { AWS_ACCESS_KEY_ID: 'unused', AWS_SECRET_ACCESS_KEY: 'unused', AWS_REGION: 'eu-west-1' };

describe('gcs backend against fake-gcs-server, pbkdf2 encryption', () => {
  let gcs: FakeGcs;
  let repo: string;
  const dir = (env: string) => join(repo, 'environments', env);
  const envOf = (env: string, passphrase = PASSPHRASE(env)) => ({ ...NO_AWS, ...gcs.env, TF_VAR_state_passphrase: passphrase });
  const STATE = (env: string) => `environments/${env}/default.tfstate`;
  const LOCK = (env: string) => `environments/${env}/default.tflock`;

  beforeAll(async () => {
    gcs = await startFakeGcs();
    repo = await scaffold(['--name', 'acme', '--envs', 'dev,prod', '--modules', 'network', '--backend', 'gcs', '--key-provider', 'pbkdf2']);
    for (const env of ['dev', 'prod']) {
      addMarker(dir(env));
      writeFileSync(join(dir(env), 'fakegcs.gcs.tfbackend'), gcsBackendConfig(gcs));
    }
  });
  afterAll(async () => gcs?.stop());

  it('creates the buckets the README lists, which are the buckets the backends use', async () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const buckets = [...readme.matchAll(/gcloud storage buckets create gs:\/\/(\S+)/g)].map((m) => m[1]!);
    expect(buckets).toEqual(['acme-tofu-state-dev', 'acme-tofu-state-prod']);
    for (const env of ['dev', 'prod']) expect(readFileSync(join(dir(env), 'backend.tf'), 'utf8')).toContain(`bucket = "acme-tofu-state-${env}"`);
    // What `gcloud storage buckets create` does, through the emulator's JSON API.
    for (const bucket of buckets) await gcs.createBucket(bucket);
  });

  it('inits every environment root with its real gcs backend and writes only encrypted state', async () => {
    for (const env of ['dev', 'prod']) {
      expect(await tofuOk(dir(env), init, envOf(env))).toContain('Successfully configured the backend "gcs"');
      await tofuOk(dir(env), applyMarker(`${MARKER}-${env}`), envOf(env));
      const state = await gcs.getObject(`acme-tofu-state-${env}`, STATE(env));
      expectEnvelope(state, `${MARKER}-${env}`);
      expect(JSON.stringify(JSON.parse(state!).meta)).toContain(`key_provider.pbkdf2.${env}`);
      expect((await tofu(dir(env), ['output', '-raw', 'marker'], envOf(env))).stdout).toBe(`${MARKER}-${env}`);
      // The lock object is gone once the run is over; the state is the bucket's only object.
      expect(await gcs.listObjects(`acme-tofu-state-${env}`)).toEqual([STATE(env)]);
    }
  });

  it("refuses to read an environment's state with a wrong passphrase (another environment's)", async () => {
    const r = await tofu(dir('dev'), ['output', '-raw', 'marker'], envOf('dev', PASSPHRASE('prod')));
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/decrypt/i);
    expect(r.all).not.toContain(`${MARKER}-dev`);
  });

  it('refuses a second apply while the first holds the lock object', async () => {
    const first = execa(toolchain().tofu, [...applyMarker(`${MARKER}-dev`, ['-var=hold_seconds=20', `-var=hold_token=${Date.now()}`]), '-no-color'], {
      cwd: dir('dev'),
      env: tofuEnv(envOf('dev')),
      all: true,
      reject: false,
    });
    const deadline = Date.now() + 90_000;
    while ((await gcs.getObject('acme-tofu-state-dev', LOCK('dev'))) === undefined) {
      if (Date.now() > deadline) throw new Error(`the first apply never took the lock:\n${(await first).all}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const info = JSON.parse((await gcs.getObject('acme-tofu-state-dev', LOCK('dev')))!) as { Operation: string };
    expect(info.Operation).toBe('OperationTypeApply');

    const second = await tofu(dir('dev'), [...applyMarker(`${MARKER}-dev`), '-lock-timeout=0s'], envOf('dev'));
    expect(second.exitCode).not.toBe(0);
    expect(second.all).toContain('Error acquiring the state lock');
    expect(second.all).toContain(`gs://acme-tofu-state-dev/${LOCK('dev')}`);
    // Negative control: the refusal is the lock's doing, not the backend's: without locking, a plan runs.
    await tofuOk(dir('dev'), ['plan', '-input=false', '-lock=false', ...targets, `-var=marker_secret=${MARKER}-dev`], envOf('dev'));

    const done = await first;
    expect(done.exitCode, done.all).toBe(0);
    expect(await gcs.getObject('acme-tofu-state-dev', LOCK('dev'))).toBeUndefined();
    // Released: the next apply takes and frees the lock.
    await tofuOk(dir('dev'), applyMarker(`${MARKER}-dev`), envOf('dev'));
  });
});

describe('gcs backend, workspace layout: one bucket, a state per workspace, each with its own passphrase', () => {
  let gcs: FakeGcs;
  afterAll(async () => gcs?.stop());

  it('keeps each workspace state under state/<workspace>.tfstate, encrypted with its environment passphrase', async () => {
    gcs = await startFakeGcs();
    const repo = await scaffold([
      '--name',
      'acme',
      '--layout',
      'workspace',
      '--envs',
      'dev,prod',
      '--modules',
      'network',
      '--backend',
      'gcs',
      '--key-provider',
      'pbkdf2',
    ]);
    const dir = join(repo, 'infra');
    addMarker(dir);
    writeFileSync(join(dir, 'fakegcs.gcs.tfbackend'), gcsBackendConfig(gcs));
    const buckets = [...readFileSync(join(repo, 'README.md'), 'utf8').matchAll(/gcloud storage buckets create gs:\/\/(\S+)/g)].map((m) => m[1]!);
    expect(buckets).toEqual(['acme-tofu-state']);
    await gcs.createBucket(buckets[0]!);
    const envOf = (env: string, passphrase = PASSPHRASE(env)) => ({ ...NO_AWS, ...gcs.env, TF_VAR_state_passphrase: passphrase, TF_WORKSPACE: env });

    // As the README says: TF_WORKSPACE before init.
    await tofuOk(dir, init, envOf('dev'));
    for (const env of ['dev', 'prod']) {
      await tofuOk(dir, [...applyMarker(`${MARKER}-${env}`), `-var-file=environments/${env}.tfvars`], envOf(env));
      expectEnvelope(await gcs.getObject('acme-tofu-state', `state/${env}.tfstate`), `${MARKER}-${env}`);
      expect((await tofu(dir, ['output', '-raw', 'marker'], envOf(env))).stdout).toBe(`${MARKER}-${env}`);
    }
    expect(await gcs.listObjects('acme-tofu-state')).toEqual(['state/dev.tfstate', 'state/prod.tfstate']);
    // Negative control: dev's passphrase does not open prod's workspace.
    const r = await tofu(dir, ['output', '-raw', 'marker'], envOf('prod', PASSPHRASE('dev')));
    expect(r.exitCode).not.toBe(0);
    expect(r.all).not.toContain(`${MARKER}-prod`);
  });
});
