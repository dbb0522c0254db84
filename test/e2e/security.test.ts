// Security of what is generated: checkov finds nothing in the bootstrap stack and the modules
// except checks skipped in the code with a reason, and no generated file holds a secret value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { scaffold } from '../harness/generated.js';
import { toolchain } from '../harness/toolchain.js';

function allFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('checkov', () => {
  it.each(['bootstrap', 'modules'])('reports no failed check in %s/ (DynamoDB locking on, so every resource is there)', async (folder) => {
    const repo = await scaffold(['--name', 'acme', '--lock', 'both']);
    const r = await execa(
      toolchain().checkov,
      ['-d', join(repo, folder), '--framework', 'terraform', '--skip-download', '--compact', '--quiet', '--output', 'json'],
      { reject: false, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } },
    );
    const reports = [JSON.parse(r.stdout)].flat() as {
      summary: { passed: number; failed: number; skipped: number };
      results: { failed_checks: { check_id: string; resource: string }[] };
    }[];
    const failed = reports.flatMap((rep) => rep.results?.failed_checks ?? []).map((c) => `${c.check_id} ${c.resource}`);
    expect(failed).toEqual([]);
    expect(reports.reduce((n, rep) => n + rep.summary.passed, 0)).toBeGreaterThan(20);
  });

  it('every skip in the templates carries a one-line reason', () => {
    const templates = join(__dirname, '..', '..', 'templates');
    const skips = allFiles(templates).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.includes('checkov:skip=')),
    );
    expect(skips.length).toBeGreaterThan(0);
    for (const line of skips) expect(line).toMatch(/checkov:skip=CKV2?_[A-Z]+_\d+:\s*\S.{8,}/);
  });
});

describe('no secret lands in a generated file', () => {
  const SECRET_SHAPES = [
    /AKIA[0-9A-Z]{16}/, // AWS access key id
    /(passphrase|password|secret_key|access_key|token)\s*=\s*"[^"$]/i, // a literal credential in HCL
    /BEGIN (RSA |EC )?PRIVATE KEY/,
    /glpat-[0-9A-Za-z_-]{20}/, // GitLab token
  ];

  it.each([
    ['s3', 'aws_kms'],
    ['s3', 'pbkdf2'],
    ['gcs', 'gcp_kms'],
    ['http', 'openbao'],
    ['scaleway', 'pbkdf2'],
  ])('backend %s, key provider %s, with secrets in the environment of the run', async (backend, keyProvider) => {
    const env = { TF_VAR_state_passphrase: 'this-passphrase-must-never-appear', BAO_TOKEN: 's.never-appear-token', TF_HTTP_PASSWORD: 'never-appear-password' };
    const repo = await scaffold(['--name', 'acme', '--backend', backend, '--key-provider', keyProvider, '--ci', 'gitlab,github', '--layout', 'hybrid'], env);
    for (const file of allFiles(repo)) {
      const text = readFileSync(file, 'utf8');
      for (const shape of SECRET_SHAPES) expect(text, file).not.toMatch(shape);
      for (const value of Object.values(env)) expect(text, file).not.toContain(value);
    }
  });
});
