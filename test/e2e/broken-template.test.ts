// The validation is real: a wrong attribute injected into a template makes the same pipeline fail,
// naming the root and quoting tofu.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findTemplatesDir,
  loadTemplates,
  renderRepository,
  resolveSpec,
  rootsOf,
  validateRepository,
  writeRepository,
} from '../../packages/create-tofu-infra/src/index.js';
import { tempDir } from '../harness/tmp.js';
import { tofuEnv } from '../harness/toolchain.js';

describe('validation catches a broken template', () => {
  it('fails validate in every environment root when the stack passes an unknown module argument', async () => {
    const templates = join(tempDir('cti-tpl-'), 'templates');
    cpSync(findTemplatesDir(), templates, { recursive: true });
    const main = join(templates, 'roots', 'stack', 'main.tf.hbs');
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replace(
        '  vpc_cidr           = each.value.vpc_cidr',
        '  vpc_cidr           = each.value.vpc_cidr\n  vpc_cidr_typo      = "10.0.0.0/16"',
      ),
    );

    const spec = resolveSpec({ envs: 'dev,prod', name: 'acme' }, { directoryName: 'acme', generatorVersion: 'test' });
    const dir = join(tempDir('cti-broken-'), 'repo');
    writeRepository(dir, renderRepository(spec, loadTemplates(templates)), 'missing');
    const lines: string[] = [];
    const report = await validateRepository(
      dir,
      rootsOf(spec).map((r) => r.path),
      { log: (l) => lines.push(l), env: tofuEnv() },
    );

    const failed = report.roots.filter((r) => !r.ok).map((r) => r.root);
    expect(failed).toEqual(['environments/dev', 'environments/prod']);
    expect(report.roots.find((r) => r.root === 'environments/dev')?.output).toMatch(/Unsupported argument[\s\S]*vpc_cidr_typo/);
    expect(report.roots.find((r) => r.root === 'bootstrap')?.ok).toBe(true);
    expect(lines).toContain('  ✗ environments/dev: tofu init/validate failed');
  });
});
