// The facts the CLI and the Nx plugin share, each from one place in the core: the CIDR plan,
// project names, machine-owned files and the manifest's updates.
import { describe, expect, it } from 'vitest';
import {
  isCiFile,
  isEncryptionFile,
  manifestText,
  nextFreeCidr,
  projectNameOf,
  readManifest,
  regionSpecs,
  resolveSpec,
  rootsOf,
  withEnvironment,
  withKeyChange,
  withoutRegion,
  withRegion,
  type Manifest,
} from '../../packages/create-tofu-infra/src/index.js';

describe('regions and CIDRs', () => {
  it('gives each new region the lowest free 10.<16n>.0.0/16, whatever holds the others', () => {
    expect(regionSpecs(['eu-west-1', 'eu-central-1']).map((r) => r.vpcCidr)).toEqual(['10.0.0.0/16', '10.16.0.0/16']);
    expect(nextFreeCidr(['10.0.0.0/16', '10.20.0.0/16', '192.168.0.0/16'])).toBe('10.32.0.0/16');
    expect(nextFreeCidr(Array.from({ length: 16 }, (_, i) => `10.${i * 16}.0.0/16`))).toBeUndefined();
  });
});

describe('names and machine-owned files', () => {
  it('names projects after their path', () => {
    expect(projectNameOf('services/app/envs/dev')).toBe('services-app-envs-dev');
    expect(projectNameOf('.')).toBe('tofu');
  });

  it('knows which files generators rewrite', () => {
    expect(['.gitlab-ci.yml', '.github/workflows/tofu.yml'].every(isCiFile)).toBe(true);
    expect(['.github/actions/setup-tofu/action.yml', 'README.md'].some(isCiFile)).toBe(false);
    expect(isEncryptionFile('environments/dev/encryption.tf')).toBe(true);
    expect(isEncryptionFile('environments/dev/my-encryption.tf')).toBe(false);
  });
});

describe('the manifest', () => {
  const spec = resolveSpec({ name: 'acme', envs: 'dev' }, { directoryName: 'acme', generatorVersion: '0.1.0' });
  const manifest: Manifest = { generator: 'create-tofu-infra', generatorVersion: '0.1.0', spec, roots: rootsOf(spec).map((r) => r.path) };

  it('is read back into the spec it was written from, or refused with the reason', () => {
    const read = readManifest(JSON.parse(manifestText(manifest)));
    expect('spec' in read && read.spec.envs).toEqual(['dev']);
    expect(readManifest({ generator: 'someone-else' })).toEqual({ problems: [expect.stringContaining('was not written by create-tofu-infra')] });
    expect(readManifest({ ...manifest, spec: { ...spec, layout: 'flat' } })).toEqual({ problems: [expect.stringContaining('names the layout "flat"')] });
  });

  it('grows and shrinks without listing anything twice, keeping its key order', () => {
    const grown = withEnvironment(withEnvironment(manifest, 'qa', ['environments/qa']), 'qa', ['environments/qa']);
    expect(grown.spec.envs).toEqual(['dev', 'qa']);
    expect(grown.roots.filter((r) => r === 'environments/qa')).toHaveLength(1);
    const region = { name: 'us-east-1', vpcCidr: '10.16.0.0/16' };
    expect(withRegion(withRegion(manifest, region), region).spec.regions).toHaveLength(2);
    expect(withoutRegion(withRegion(manifest, region), 'us-east-1')).toEqual(manifest);
    const rotating = withKeyChange(manifest, 'openbao', { kind: 'rotate', from: 'aws_kms' });
    expect(Object.keys(rotating)).toEqual(['generator', 'generatorVersion', 'spec', 'roots', 'keyChange']);
    expect(withKeyChange(rotating, 'openbao', undefined)).toEqual({ ...manifest, spec: { ...spec, keyProvider: 'openbao' } });
  });
});
