import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { toolchain } from './toolchain.js';

export interface Moto {
  endpoint: string;
  port: number;
  /** Environment for tofu and the aws provider talking to this moto (fake credentials, KMS endpoint). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A crashed test run must not leave emulators behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts moto on a free loopback port and waits until it answers. Call stop() in afterAll. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn(toolchain().motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}):\n${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within 30s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    port,
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_KMS: endpoint,
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      running.delete(child);
    },
  };
}

/** Override file content that points the aws provider of a test copy at moto (never in generated code). */
export function awsProviderOverride(endpoint: string, opts: { alias?: string; forEach?: string } = {}): string {
  const services = ['s3', 'dynamodb', 'kms', 'iam', 'sts', 'ec2', 'rds', 'ssm', 'autoscaling', 'secretsmanager'];
  return `provider "aws" {
${opts.alias ? `  alias    = "${opts.alias}"\n` : ''}${opts.forEach ? `  for_each = ${opts.forEach}\n  region   = each.key\n` : ''}  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
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
