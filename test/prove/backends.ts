// The state backends and key services prove runs against besides moto's S3: the gcs backend on
// fake-gcs-server, Scaleway's S3-compatible backend on moto, and the openbao key provider on a real
// OpenBao dev server. None of them has a bootstrap stack: prove creates what the generated README
// tells the user to create, from the README's own commands. Endpoints reach tofu only through the
// environment and test-only files in the temporary copy (a partial backend config, and an override
// of a root's terraform_remote_state), never through generated files.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { startFakeGcs, gcsBackendConfig, type FakeGcs } from '../harness/gcs.js';
import { motoPython, type Moto, type MotoKeys } from '../harness/moto.js';
import { startOpenBao, type OpenBao } from '../harness/openbao.js';
import { toolchain } from '../harness/toolchain.js';

/** Where a backend other than moto's s3 keeps state, and how a root is pointed there. */
export interface StateStore {
  /** The test-only partial backend configuration every `tofu init` gets (`-backend-config=<file>`). */
  configFile: string;
  /** Environment tofu needs to reach it. */
  env: NodeJS.ProcessEnv;
  /**
   * The emulator's value for each variable the README's first-run block exports for this backend
   * (prove fails on an exported name it has no value for); `null`: the emulator takes none, and the
   * variable stays unset (the reason in a comment there).
   */
  standIns: Record<string, string | null>;
  /** Keys the aws provider of every root gets (test-only override), when the backend needs them apart from its own. */
  providerKeys?: MotoKeys;
  /** Writes the partial backend configuration and, if the root reads another's state, its override. */
  prepare(dir: string): void;
  /** The state object of a root (in a workspace), from its backend.tf. */
  stateObject(dir: string, workspace?: string): { bucket: string; key: string };
  /** The lock object tofu writes beside that state while it holds the lock. */
  lockObject(dir: string, workspace?: string): { bucket: string; key: string };
  read(bucket: string, key: string): Promise<string | undefined>;
  /** Creates what the README's "Create the state buckets" step says; returns what it created. */
  createDocumented(readme: string): Promise<string>;
  stop(): Promise<void>;
}

/** The first ```sh block after `lead` in the README, as commands (comments and blank lines dropped). */
export function readmeBlock(readme: string, lead: string): string[] {
  const at = readme.indexOf(lead);
  if (at < 0) throw new Error(`README.md has no "${lead}" step`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`README.md has no shell block after "${lead}"`);
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The README's first-run credentials block: the names it exports (each a placeholder) and the commands after them. */
export interface ReadmeCredentials {
  names: string[];
  commands: string[];
}

export function readmeCredentials(readme: string): ReadmeCredentials {
  const names: string[] = [];
  const commands: string[] = [];
  for (const line of readmeBlock(readme, 'Credentials, in the shell')) {
    const placeholder = /^export ([A-Za-z_]\w*)='<[^'<>]+>'$/.exec(line);
    if (placeholder) names.push(placeholder[1]!);
    else if (line.startsWith('export '))
      throw new Error(`the README's credentials block exports something else than a <placeholder>: ${line.split('=')[0]}=...`);
    else commands.push(line);
  }
  return { names, commands };
}

function attribute(text: string, name: string, file: string): string {
  const value = new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`).exec(text)?.[1];
  if (!value) throw new Error(`${file} has no ${name}`);
  return value;
}

/**
 * The root's terraform_remote_state with its generated config, rewritten by `redirect` (test-only
 * override: tofu replaces `config` whole), or undefined when the root reads no other state.
 */
function remoteStateOverride(dir: string, redirect: (backend: string, config: string) => string): string | undefined {
  const main = readFileSync(join(dir, 'main.tf'), 'utf8');
  const remote = /data "terraform_remote_state" "(\w+)" \{\n\s+backend = "(\w+)"\n\n\s+config = \{\n([\s\S]*?)\n\s+\}\n\}/.exec(main);
  if (!remote) return undefined;
  return `data "terraform_remote_state" "${remote[1]}" {\n  backend = "${remote[2]}"\n\n  config = {\n${redirect(remote[2]!, remote[3]!)}\n  }\n}\n`;
}

/** gcs on fake-gcs-server: storage_custom_endpoint in a partial config, a static token in the environment. */
export async function gcsStore(): Promise<StateStore> {
  const gcs: FakeGcs = await startFakeGcs();
  const configFile = 'fake-gcs.gcs.tfbackend';
  const where = (dir: string, workspace: string | undefined, ext: string) => {
    const backend = readFileSync(join(dir, 'backend.tf'), 'utf8');
    const file = `${dir}/backend.tf`;
    return { bucket: attribute(backend, 'bucket', file), key: `${attribute(backend, 'prefix', file)}/${workspace ?? 'default'}.${ext}` };
  };
  return {
    configFile,
    env: gcs.env,
    // fake-gcs-server checks no credentials: its access token (env) stands in for the key file.
    standIns: { GOOGLE_APPLICATION_CREDENTIALS: null },
    prepare(dir) {
      writeFileSync(join(dir, configFile), gcsBackendConfig(gcs));
      const override = remoteStateOverride(dir, (_backend, config) => `${config}\n    storage_custom_endpoint = "${gcs.endpoint}"`);
      if (override) writeFileSync(join(dir, 'remote_state_override.tf'), override);
    },
    stateObject: (dir, workspace) => where(dir, workspace, 'tfstate'),
    lockObject: (dir, workspace) => where(dir, workspace, 'tflock'),
    read: (bucket, key) => gcs.getObject(bucket, key),
    async createDocumented(readme) {
      const buckets: string[] = [];
      for (const line of readmeBlock(readme, 'Create the state buckets')) {
        const create = /^gcloud storage buckets create gs:\/\/(\S+) --location \S+ --uniform-bucket-level-access --public-access-prevention$/.exec(line);
        const versioning = /^gcloud storage buckets update gs:\/\/(\S+) --versioning$/.exec(line);
        // gcloud's project: fake-gcs-server has none.
        if (/^export CLOUDSDK_CORE_PROJECT='<[^']+>'$/.test(line)) continue;
        if (create) {
          await gcs.createBucket(create[1]!);
          buckets.push(create[1]!);
        } else if (versioning) {
          const res = await fetch(`${gcs.endpoint}b/${versioning[1]}`, {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ versioning: { enabled: true } }),
          });
          if (res.status !== 200) throw new Error(`${line}: ${res.status} ${await res.text()}`);
        } else throw new Error(`prove does not know this README command (add it here, or fix the README): ${line}`);
      }
      if (!buckets.length) throw new Error('the README creates no gcs bucket');
      return `gs://${buckets.join(', gs://')} (versioned)`;
    },
    stop: () => gcs.stop(),
  };
}

/**
 * Scaleway Object Storage on moto (S3-compatible): the generated Scaleway endpoint replaced by
 * moto's in a partial config and in a remote-state override. A remote state that names no
 * Scaleway endpoint keeps none, and so would go to AWS S3: the override never adds one.
 *
 * The backend's credentials apart from the aws provider's, enforced by moto's IAM: a "Scaleway" user
 * may use only the state buckets (nothing else: the aws provider with its keys fails), an "AWS" user
 * everything but the state buckets (the backend with its keys fails). The AWS user's keys are the
 * environment's AWS_ACCESS_KEY_ID and the provider's; the Scaleway ones reach tofu only through the
 * README's first-run block (SCW_* written to the profile the backend names).
 */
export async function scalewayStore(moto: Moto, parent: string, name: string): Promise<StateStore> {
  const configFile = 'moto.scaleway.tfbackend';
  const users = await scalewayUsers(moto, `${name}-tofu-state`);
  const where = (dir: string, workspace: string | undefined, suffix: string) => {
    const backend = readFileSync(join(dir, 'backend.tf'), 'utf8');
    const file = `${dir}/backend.tf`;
    const key = attribute(backend, 'key', file);
    return { bucket: attribute(backend, 'bucket', file), key: `${workspace ? `env:/${workspace}/` : ''}${key}${suffix}` };
  };
  return {
    configFile,
    env: { AWS_ACCESS_KEY_ID: users.aws.id, AWS_SECRET_ACCESS_KEY: users.aws.secret, AWS_SHARED_CREDENTIALS_FILE: join(parent, 'aws-credentials') },
    standIns: { SCW_ACCESS_KEY: users.scaleway.id, SCW_SECRET_KEY: users.scaleway.secret },
    providerKeys: users.aws,
    prepare(dir) {
      const scw = attribute(readFileSync(join(dir, 'backend.tf'), 'utf8'), 's3', `${dir}/backend.tf`);
      writeFileSync(join(dir, configFile), `endpoints = {\n  s3 = "${moto.endpoint}"\n}\n`);
      const override = remoteStateOverride(dir, (_backend, config) => config.replaceAll(`"${scw}"`, `"${moto.endpoint}"`));
      if (override) writeFileSync(join(dir, 'remote_state_override.tf'), override);
    },
    stateObject: (dir, workspace) => where(dir, workspace, ''),
    lockObject: (dir, workspace) => where(dir, workspace, '.tflock'),
    read: async (bucket, key) => moto.s3Get(bucket, key),
    async createDocumented(readme) {
      const created = new Map<string, { region: string; versioned: boolean }>();
      const opts = String.raw`--endpoint-url \S+ --region (\S+)(?: --create-bucket-configuration LocationConstraint=\S+)? --profile (\S+)`;
      for (const line of readmeBlock(readme, 'Create the state buckets')) {
        const create = new RegExp(`^aws s3api create-bucket --bucket (\\S+) ${opts}$`).exec(line);
        const versioning = new RegExp(`^aws s3api put-bucket-versioning --bucket (\\S+) --versioning-configuration Status=Enabled ${opts}$`).exec(line);
        if (create) created.set(create[1]!, { region: create[2]!, versioned: false });
        else if (versioning && created.has(versioning[1]!)) created.get(versioning[1]!)!.versioned = true;
        else throw new Error(`prove does not know this README command (add it here, or fix the README): ${line}`);
      }
      if (!created.size) throw new Error('the README creates no Scaleway bucket');
      for (const [bucket, { region, versioned }] of created) moto.s3CreateBucket(bucket, region, versioned);
      // From here on every request is authorized: the backend with the Scaleway user's keys only.
      moto.useKeys(users.admin);
      await moto.enforceIam();
      const buckets = [...created].map(([b, { region, versioned }]) => `s3://${b} (${region}${versioned ? ', versioned' : ''})`).join(', ');
      return `${buckets}; IAM enforced: Scaleway keys for the state only, AWS keys for all but the state`;
    },
    stop: async () => {},
  };
}

const SCALEWAY_USERS = `
import boto3, json, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", verify=sys.argv[2], aws_access_key_id="test", aws_secret_access_key="test")
state = [f"arn:aws:s3:::{sys.argv[3]}*", f"arn:aws:s3:::{sys.argv[3]}*/*"]
policies = {
    "admin": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    "scaleway": [{"Effect": "Allow", "Action": "s3:*", "Resource": state}],
    "aws": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "s3:*", "Resource": state}],
}
out = {}
for name, statements in policies.items():
    iam.create_user(UserName=f"prove-{name}")
    iam.put_user_policy(UserName=f"prove-{name}", PolicyName=name, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    key = iam.create_access_key(UserName=f"prove-{name}")["AccessKey"]
    out[name] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
print(json.dumps(out))
`;

/** Three moto IAM users: an admin (prove's own reads), the Scaleway key (state buckets only), the AWS key (everything else). */
async function scalewayUsers(moto: Moto, bucketPrefix: string): Promise<Record<'admin' | 'scaleway' | 'aws', MotoKeys>> {
  const r = await execa(motoPython(), ['-c', SCALEWAY_USERS, moto.endpoint, String(moto.env.AWS_CA_BUNDLE), bucketPrefix], { reject: false });
  if (r.exitCode !== 0) throw new Error(`creating the Scaleway and AWS users in moto failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<'admin' | 'scaleway' | 'aws', MotoKeys>;
}

/** The openbao key provider's server: the README's setup run as written, one token per environment. */
export interface KeyService {
  /** BAO_ADDR and the BAO_TOKEN the README created for this environment's policy. */
  envFor(env: string): NodeJS.ProcessEnv;
  /** A token OpenBao does not know. */
  wrongToken(): NodeJS.ProcessEnv;
  /** What the setup created. */
  created: string;
  /** Runs the README's OpenBao block again after add-environment (transit is enabled already); returns what it set up. */
  setUp(readme: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a bare OpenBao dev server and runs the README's OpenBao block with the real `bao` CLI. */
export async function openbaoKeys(readme: string): Promise<KeyService> {
  const bao: OpenBao = await startOpenBao([], { transit: false });
  const byEnv = new Map<string, string>();
  /** The README's block as a user pastes it; `again` skips enabling transit, which the first run did. */
  const setUp = async (text: string, again: boolean) => {
    const lines = readmeBlock(text, 'Create the transit keys').filter((l) => !(again && l.startsWith('bao secrets enable transit')));
    const r = await execa('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], {
      env: {
        PATH: `${dirname(toolchain().bao)}:${process.env.PATH ?? ''}`,
        HOME: mkdtempSync(join(tmpdir(), 'cti-bao-cli-')),
        BAO_ADDR: bao.address,
        BAO_TOKEN: bao.token,
      },
      reject: false,
      all: true,
    });
    // bao's output holds the tokens it created: shown only with every token masked.
    const masked = r.all.replaceAll(bao.token, '<root token>').replace(/^(token\s+)\S+$/gm, '$1<token>');
    if (r.exitCode !== 0) throw new Error(`the README's OpenBao commands failed (exit ${r.exitCode}):\n${masked}`);
    const envs = [...text.matchAll(/bao token create -policy=\S+\s+# the BAO_TOKEN of (\S+)/g)].map((m) => m[1]!);
    const tokens = [...r.stdout.matchAll(/^token\s+(\S+)$/gm)].map((m) => m[1]!);
    if (!envs.length || tokens.length !== envs.length)
      throw new Error(`expected ${envs.length} tokens from the README's OpenBao commands, got ${tokens.length}`);
    envs.forEach((env, i) => byEnv.set(env, tokens[i]!));
    return `transit, ${envs.length} keys, policies and tokens (${envs.join(', ')})`;
  };
  try {
    const created = await setUp(readme, false);
    return {
      envFor(env) {
        const token = byEnv.get(env);
        if (!token) throw new Error(`the README creates no OpenBao token for ${env} (it does for ${[...byEnv.keys()].join(', ')})`);
        return { BAO_ADDR: bao.address, BAO_TOKEN: token };
      },
      wrongToken: () => ({ BAO_ADDR: bao.address, BAO_TOKEN: 's.this-token-does-not-exist' }),
      created,
      setUp: (text) => setUp(text, true),
      stop: () => bao.stop(),
    };
  } catch (err) {
    await bao.stop();
    throw err;
  }
}
