// The IAM simulator the tests use (@cloud-copilot/*, AGPL-3.0) stays out of what this MPL-2.0
// project publishes: no source under packages/ imports it and no package declares it, so no build
// can bundle it (test/harness/iam-policy.ts is its one user).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST_ONLY = '@cloud-copilot/';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist'].includes(e.name) ? [] : sources(path);
    return /\.(ts|mts|js|mjs|cjs)$/.test(e.name) ? [path] : [];
  });
}

describe('test-only dependencies', () => {
  const packages = readdirSync(join(ROOT, 'packages'));

  it.each(packages)('packages/%s neither imports nor declares the IAM simulator', (name) => {
    const dir = join(ROOT, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      expect(
        Object.keys(manifest[field] ?? {}).filter((d) => d.startsWith(TEST_ONLY)),
        `${name} ${field}`,
      ).toEqual([]);
    }
    const importing = sources(dir).filter((f) => readFileSync(f, 'utf8').includes(TEST_ONLY));
    expect(importing).toEqual([]);
  });

  it('the workspace holds it as a devDependency only', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(manifest.devDependencies ?? {}).filter((d) => d.startsWith(TEST_ONLY))).toEqual([
      '@cloud-copilot/iam-policy',
      '@cloud-copilot/iam-simulate',
    ]);
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith(TEST_ONLY))).toEqual([]);
  });
});
