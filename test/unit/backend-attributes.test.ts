// Each generated backend block uses only attributes OpenTofu's backend accepts, as listed in
// ../shared/reference/opentofu-facts.md (tofu validate does not check backend blocks).
import { describe, expect, it } from 'vitest';
import { loadTemplates, renderRepository, resolveSpec, textOf } from '../../packages/create-tofu-infra/src/index.js';

const ALLOWED: Record<string, string[]> = {
  s3: [
    'bucket',
    'key',
    'region',
    // scaleway: the named profile holding the Scaleway keys (never the keys themselves)
    'profile',
    'use_lockfile',
    'dynamodb_table',
    'endpoints',
    'use_path_style',
    'skip_credentials_validation',
    'skip_region_validation',
    'skip_requesting_account_id',
    'skip_s3_checksum',
    'workspace_key_prefix',
  ],
  gcs: ['bucket', 'prefix'],
  http: ['address', 'lock_address', 'unlock_address', 'lock_method', 'unlock_method', 'retry_wait_min'],
  local: [],
};
const FORBIDDEN = ['endpoint', 'force_path_style', 'encrypt', 'access_key', 'secret_key', 'username', 'password', 'project'];

function backendBlocks(choices: Record<string, string>) {
  const spec = resolveSpec({ name: 'acme', ...choices }, { directoryName: 'acme', generatorVersion: 'test' });
  return renderRepository(spec, loadTemplates()).filter((f) => f.path.endsWith('/backend.tf'));
}

function attributes(content: string): { kind: string; names: string[] } {
  const kind = /backend "(\w+)"/.exec(content)?.[1] ?? '';
  const body = content.slice(content.indexOf(`backend "${kind}"`));
  const block = body.slice(0, body.indexOf('\n  }') + 4);
  const names = [...block.matchAll(/^ {4}(\w+)\s*=/gm)].map((m) => m[1]!);
  return { kind, names };
}

describe.each([
  [{ backend: 's3', lock: 'lockfile' }, 's3'],
  [{ backend: 's3', lock: 'dynamodb' }, 's3'],
  [{ backend: 's3', lock: 'both' }, 's3'],
  [{ backend: 's3', layout: 'workspace' }, 's3'],
  [{ backend: 'scaleway' }, 's3'],
  [{ backend: 'gcs' }, 'gcs'],
  [{ backend: 'http' }, 'http'],
  [{ backend: 'local' }, 'local'],
])('%o', (choices, kind) => {
  it(`renders a ${kind} backend with known attributes only`, () => {
    const blocks = backendBlocks(choices);
    expect(blocks.length).toBeGreaterThan(0);
    for (const file of blocks) {
      const found = attributes(textOf(file));
      expect(found.kind).toBe(kind);
      for (const name of found.names) {
        expect(ALLOWED[kind], `${file.path}: ${name}`).toContain(name);
        expect(FORBIDDEN).not.toContain(name);
      }
    }
  });
});

it('locks as asked: use_lockfile, dynamodb_table, or both (the migration path)', () => {
  const names = (lock: string) => attributes(textOf(backendBlocks({ backend: 's3', lock })[0]!)).names;
  expect(names('lockfile')).toContain('use_lockfile');
  expect(names('lockfile')).not.toContain('dynamodb_table');
  expect(names('dynamodb')).toEqual(expect.arrayContaining(['dynamodb_table']));
  expect(names('dynamodb')).not.toContain('use_lockfile');
  expect(names('both')).toEqual(expect.arrayContaining(['use_lockfile', 'dynamodb_table']));
});

it('gives each environment its own bucket and each root its own key', () => {
  const blocks = backendBlocks({ backend: 's3', envs: 'dev,prod' });
  const dev = blocks.find((b) => b.path === 'environments/dev/backend.tf')!.content;
  expect(dev).toContain('bucket = "acme-tofu-state-dev"');
  expect(dev).toContain('key    = "environments/dev/terraform.tfstate"');
  expect(blocks.find((b) => b.path === 'environments/prod/backend.tf')!.content).toContain('bucket = "acme-tofu-state-prod"');
});
