// The openbao key provider, end to end against a real OpenBao dev server (the toolchain's `bao`):
// the generated README's OpenBao commands run as written (transit, one key and one policy per
// environment, one token per policy), and a generated environment root, holding only its
// environment's token, inits, applies, writes an encrypted envelope and reads it back. Negative
// controls: a wrong token, another environment's token, the transit/encrypt policy the guidance
// used to ask for, and each of the two documented paths alone.
// Address and token reach tofu only through BAO_ADDR and BAO_TOKEN; nothing is written into the copy
// except the test-only marker.tf.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/cli.js';
import { addMarker, expectEnvelope, scaffold, tofuOk } from '../harness/generated.js';
import { startOpenBao, type OpenBao } from '../harness/openbao.js';
import { tofu } from '../harness/tofu.js';
import { tempDir } from '../harness/tmp.js';
import { toolchain } from '../harness/toolchain.js';

const MARKER = `b4o-marker-${process.pid}`;
const targets = ['-target=terraform_data.marker', '-target=terraform_data.hold'];
const applyMarker = (marker: string) => ['apply', '-auto-approve', '-input=false', ...targets, `-var=marker_secret=${marker}`];
const planMarker = (marker: string) => ['plan', '-input=false', ...targets, `-var=marker_secret=${marker}`];
// The aws provider is never configured for the marker resources; these keep any lookup offline.
const NO_AWS = { AWS_ACCESS_KEY_ID: 'unused', AWS_SECRET_ACCESS_KEY: 'unused', AWS_REGION: 'eu-west-1' };

/** The first ```sh block after `heading` in the generated README, dedented. */
function readmeBlock(repo: string, heading: string): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const from = readme.indexOf(heading);
  expect(from, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)\n\s*```/.exec(readme.slice(from));
  expect(block, `a sh block after "${heading}"`).not.toBeNull();
  return block![1]!
    .split('\n')
    .map((l) => l.replace(/^ {3}/, ''))
    .join('\n');
}

describe('openbao key provider against a real OpenBao dev server', () => {
  let bao: OpenBao;
  let repo: string;
  const tokens: Record<string, string> = {};
  const dir = (env: string) => join(repo, 'environments', env);
  const envOf = (token: string) => ({ ...NO_AWS, BAO_ADDR: bao.address, BAO_TOKEN: token });

  beforeAll(async () => {
    // No transit yet: the README's commands create it.
    bao = await startOpenBao([], { transit: false });
    repo = await scaffold(['--name', 'acme', '--envs', 'dev,prod', '--modules', 'network', '--backend', 'local', '--key-provider', 'openbao']);
    for (const env of ['dev', 'prod']) addMarker(dir(env));
  });
  afterAll(async () => bao?.stop());

  it('serves the pinned OpenBao release', async () => {
    const pins = JSON.parse(readFileSync(join(REPO, 'toolchain', 'pins.json'), 'utf8')) as { openbao: { version: string } };
    expect((await execa(toolchain().bao, ['version'])).stdout).toMatch(new RegExp(`^OpenBao v${pins.openbao.version.replaceAll('.', '\\.')} `));
    expect((await bao.api('GET', 'sys/health')).body.version).toBe(pins.openbao.version);
  });

  it("runs the README's OpenBao commands as written: transit, a key and a policy per environment, a token each", async () => {
    const script = readmeBlock(repo, 'Create the transit keys');
    expect(script).not.toContain('transit/encrypt');
    const r = await execa('bash', ['-euo', 'pipefail', '-c', script], {
      env: { PATH: `${dirname(toolchain().bao)}:${process.env.PATH ?? ''}`, HOME: tempDir('cti-bao-cli-'), BAO_ADDR: bao.address, BAO_TOKEN: bao.token },
      reject: false,
      all: true,
    });
    // bao's output holds the tokens it created: shown on failure only with every token masked.
    expect(r.exitCode, r.all.replaceAll(bao.token, '<root token>').replace(/^(token\s+)\S+$/gm, '$1<token>')).toBe(0);
    const created = [...r.stdout.matchAll(/^token\s+(\S+)$/gm)].map((m) => m[1]!);
    expect(created).toHaveLength(2);
    tokens.dev = created[0]!;
    tokens.prod = created[1]!;
    for (const env of ['dev', 'prod']) {
      const self = await bao.api('GET', 'auth/token/lookup-self', undefined, tokens[env]);
      expect((self.body.data as { policies: string[] }).policies.sort()).toEqual(['acme-tofu-ci-' + env, 'default'].sort());
      const key = await bao.api('GET', `transit/keys/${bao.keyName(env)}`);
      expect(key.status).toBe(200);
    }
  });

  it("applies with only the environment's policy: state is an encrypted envelope, and reads back", async () => {
    for (const env of ['dev', 'prod']) {
      await tofuOk(dir(env), ['init', '-input=false'], envOf(tokens[env]!));
      await tofuOk(dir(env), applyMarker(`${MARKER}-${env}`), envOf(tokens[env]!));
      const state = readFileSync(join(dir(env), 'terraform.tfstate'), 'utf8');
      expectEnvelope(state, `${MARKER}-${env}`);
      expect(JSON.stringify(JSON.parse(state).meta)).toContain(`key_provider.openbao.${env}`);
      expect((await tofu(dir(env), ['output', '-raw', 'marker'], envOf(tokens[env]!))).stdout).toBe(`${MARKER}-${env}`);
    }
  });

  it('saves plans encrypted with the environment key', async () => {
    await tofuOk(dir('dev'), [...planMarker(`${MARKER}-plan`), '-out=plan.tfplan'], envOf(tokens.dev!));
    const plan = readFileSync(join(dir('dev'), 'plan.tfplan'));
    expect(plan.includes(`${MARKER}-plan`)).toBe(false);
    expect(plan.subarray(0, 2).toString()).not.toBe('PK'); // an unencrypted plan is a zip archive
    expect(JSON.parse(plan.toString())).toHaveProperty('encrypted_data');
    await tofuOk(dir('dev'), ['apply', '-input=false', 'plan.tfplan'], envOf(tokens.dev!));
    expect((await tofu(dir('dev'), ['output', '-raw', 'marker'], envOf(tokens.dev!))).stdout).toBe(`${MARKER}-plan`);
  });

  it('fails clearly with a wrong token, and reads nothing', async () => {
    const r = await tofu(dir('dev'), planMarker(`${MARKER}-plan`), envOf('s.this-token-does-not-exist'));
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/OpenBao/);
    expect(r.all).toMatch(/permission denied/);
    expect(r.all).not.toContain(`${MARKER}-plan`);
  });

  it("refuses another environment's token (prod's policy cannot decrypt dev's state)", async () => {
    const r = await tofu(dir('dev'), planMarker(`${MARKER}-plan`), envOf(tokens.prod!));
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/permission denied/);
  });

  it('needs both documented paths, even to read: the old transit/encrypt guidance, datakey alone and decrypt alone all fail', async () => {
    const key = bao.keyName('dev');
    const grant = (...paths: string[]) => paths.map((p) => `path "transit/${p}/${key}" {\n  capabilities = ["update"]\n}\n`).join('\n');
    const oldGuidance = await bao.tokenWithPolicy('old-guidance', grant('encrypt', 'decrypt'));
    const datakeyOnly = await bao.tokenWithPolicy('datakey-only', grant('datakey/plaintext'));
    const decryptOnly = await bao.tokenWithPolicy('decrypt-only', grant('decrypt'));

    // OpenTofu's openbao key provider asks for a new data key every time it is used, then decrypts
    // the data key of the existing state: a run that only reads needs both paths.
    for (const [token, denied] of [
      [oldGuidance, 'datakey'],
      [decryptOnly, 'datakey'],
      [datakeyOnly, 'decrypt'],
    ] as const) {
      const r = await tofu(dir('dev'), ['output', '-raw', 'marker'], envOf(token));
      expect(r.exitCode).not.toBe(0);
      // tofu names the endpoint OpenBao refused.
      expect(r.all.replace(/\s+/g, ' ')).toContain(`PUT ${bao.address}/v1/transit/${denied === 'datakey' ? 'datakey/plaintext' : 'decrypt'}/${key} Code: 403`);
      expect(r.all).toMatch(/permission denied/);
    }
    // The documented policy still does both.
    await tofuOk(dir('dev'), applyMarker(`${MARKER}-again`), envOf(tokens.dev!));
    expectEnvelope(readFileSync(join(dir('dev'), 'terraform.tfstate'), 'utf8'), `${MARKER}-again`);
  });
});

describe('workspace layout: the key follows the workspace', () => {
  let bao: OpenBao;
  let repo: string;
  const envOf = (token: string, workspace: string) => ({ ...NO_AWS, BAO_ADDR: bao.address, BAO_TOKEN: token, TF_WORKSPACE: workspace });

  beforeAll(async () => {
    // The harness's own setup this time: transit and acme-opentofu-state-<env> for each environment.
    bao = await startOpenBao(['dev', 'prod']);
    repo = await scaffold([
      '--name',
      'acme',
      '--layout',
      'workspace',
      '--envs',
      'dev,prod',
      '--modules',
      'network',
      '--backend',
      'local',
      '--key-provider',
      'openbao',
    ]);
    addMarker(join(repo, 'infra'));
  });
  afterAll(async () => bao?.stop());

  it("encrypts each workspace's state with its environment's key, under the README's policy for it", async () => {
    const dir = join(repo, 'infra');
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const tokens: Record<string, string> = {};
    for (const env of ['dev', 'prod']) {
      const policy = new RegExp(`bao policy write acme-tofu-ci-${env} - <<'EOF'\\n([\\s\\S]*?)\\n\\s*EOF`).exec(readme)?.[1];
      expect(policy, `the README's policy for ${env}`).toBeDefined();
      tokens[env] = await bao.tokenWithPolicy(`acme-tofu-ci-${env}`, policy!.replace(/^ {3}/gm, ''));
    }
    await tofuOk(dir, ['init', '-input=false'], envOf(tokens.dev!, 'dev'));
    for (const env of ['dev', 'prod']) {
      await tofuOk(dir, [...applyMarker(`${MARKER}-${env}`), `-var-file=environments/${env}.tfvars`], envOf(tokens[env]!, env));
      const state = readFileSync(join(dir, 'terraform.tfstate.d', env, 'terraform.tfstate'), 'utf8');
      expectEnvelope(state, `${MARKER}-${env}`);
      expect((await tofu(dir, ['output', '-raw', 'marker'], envOf(tokens[env]!, env))).stdout).toBe(`${MARKER}-${env}`);
    }
    // Negative control: dev's token in the prod workspace is refused prod's key.
    const r = await tofu(dir, ['output', '-raw', 'marker'], envOf(tokens.dev!, 'prod'));
    expect(r.exitCode).not.toBe(0);
    expect(r.all.replace(/\s+/g, ' ')).toContain(`/v1/transit/datakey/plaintext/${bao.keyName('prod')} Code: 403`);
  });
});
