// fake-gcs-server (the toolchain's build from the Go module proxy), a GCS emulator for the gcs
// backend: on a free loopback port, in memory, plain HTTP. tofu reaches it only through
// storage_custom_endpoint in a test-only partial backend config (see gcsBackendConfig).
import { spawn } from 'node:child_process';
import { freePort, stopChild, trackChild } from './processes.js';
import { toolchain } from './toolchain.js';

export interface FakeGcs {
  /** The JSON API root, http://127.0.0.1:<port>/storage/v1/: what storage_custom_endpoint is set to. */
  endpoint: string;
  /**
   * Environment for tofu's gcs backend: a static OAuth token (the emulator ignores it), so the
   * Google client neither looks for application default credentials nor asks a metadata server.
   */
  env: NodeJS.ProcessEnv;
  createBucket(name: string): Promise<void>;
  /** An object's content, or undefined when it does not exist. */
  getObject(bucket: string, key: string): Promise<string | undefined>;
  /** The object names of a bucket. */
  listObjects(bucket: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts fake-gcs-server and waits until it answers. Call stop() in afterAll. */
export async function startFakeGcs(): Promise<FakeGcs> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const root = `http://${host}`;
  const child = spawn(
    toolchain().fakeGcs,
    ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', host, '-external-url', root, '-log-level', 'warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = () => stopChild(child);
  const endpoint = `${root}/storage/v1/`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fake-gcs-server exited (${child.exitCode}):\n${stderr}`);
    const status = await fetch(`${endpoint}b?project=test`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fake-gcs-server did not answer on ${root} within 30s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    endpoint,
    env: { GOOGLE_OAUTH_ACCESS_TOKEN: 'fake-gcs-server-ignores-it' },
    async createBucket(name) {
      const res = await fetch(`${endpoint}b?project=test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
      if (res.status !== 200) throw new Error(`creating bucket ${name} failed (${res.status}): ${await res.text()}`);
    },
    async getObject(bucket, key) {
      const res = await fetch(`${endpoint}b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(key)}?alt=media`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`reading gs://${bucket}/${key} failed (${res.status}): ${await res.text()}`);
      return res.text();
    },
    async listObjects(bucket) {
      const res = await fetch(`${endpoint}b/${encodeURIComponent(bucket)}/o`);
      if (res.status !== 200) throw new Error(`listing gs://${bucket} failed (${res.status}): ${await res.text()}`);
      const body = (await res.json()) as { items?: { name: string }[] };
      return (body.items ?? []).map((o) => o.name).sort();
    },
    stop,
  };
}

/** A test-only partial backend config that points a generated gcs backend at the emulator (never in generated code). */
export function gcsBackendConfig(gcs: FakeGcs): string {
  return `storage_custom_endpoint = "${gcs.endpoint}"\n`;
}
