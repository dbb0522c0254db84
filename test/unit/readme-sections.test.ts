// The generated README's first-run and CI sections for every backend and key provider, and the
// generated-section rewrite generators use to keep it current.
import { describe, expect, it } from 'vitest';
import { BACKENDS, KEY_PROVIDERS, replaceGeneratedSections } from '../../packages/create-tofu-infra/src/index.js';
import { ciVariables } from '../../packages/create-tofu-infra/src/features/ci/credentials.js';
import { rendered, specOf } from '../harness/nx-tree.js';

const readmeOf = (choices: Parameters<typeof specOf>[0]) => rendered(specOf(choices)).get('README.md')!;
const section = (text: string, name: string) =>
  new RegExp(`create-tofu-infra:begin ${name} -->\\n([\\s\\S]*?)<!-- create-tofu-infra:end ${name}`).exec(text)?.[1] ?? '';

describe.each(BACKENDS.flatMap((backend) => KEY_PROVIDERS.map((keyProvider) => [backend, keyProvider] as const)))(
  'README first run, %s backend, %s keys',
  (backend, keyProvider) => {
    const choices = { backend, keyProvider, ci: 'github,gitlab', lock: backend === 's3' ? 'lockfile' : undefined };
    const readme = readmeOf(choices);
    const firstRun = section(readme, 'first-run');

    it('says credentials first, and every shell block starts from the top of the repository and returns there', () => {
      expect(firstRun.indexOf('1. Credentials')).toBeGreaterThan(-1);
      const blocks = [...firstRun.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
      const bootstrap = blocks.filter((b) => /^\s*cd bootstrap$/m.test(b) || b.includes('state-home.tf'));
      if (bootstrap.length > 0) expect(bootstrap.at(-1)).toMatch(/\n\s*cd \.\.\n\s*$/);
      const apply = blocks.at(-1)!;
      expect(apply).not.toMatch(/cd \.\.\/|cd environments\/\S+ *\n[\s\S]*cd environments/);
    });

    it('lists every CI variable the pipelines read (the same list the pipelines are built from)', () => {
      const ci = section(readme, 'ci-setup');
      for (const v of ciVariables(specOf(choices))) {
        if (v.gitlabValue === undefined) expect(ci, v.name).toContain(`\`${v.name}\``);
        if (v.github) expect(ci, v.github.name).toContain(v.github.name);
      }
      expect(ci).toContain('AWS_PLAN_ROLE_ARN_DEV');
    });

    if (keyProvider === 'gcp_kms') {
      it('shows how to create the key ring and each environment crypto key', () => {
        for (const env of ['dev', 'staging', 'prod']) expect(firstRun).toContain(`gcloud kms keys create state-${env} --keyring acme-opentofu`);
      });
    }
  },
);

describe('replaceGeneratedSections', () => {
  const rendered = ['# t', '<!-- create-tofu-infra:begin a -->', 'new a', '<!-- create-tofu-infra:end a -->', 'tail'].join('\n');

  it("replaces a section's body and keeps the user's text around it", () => {
    const current = ['# t', 'mine above', '<!-- create-tofu-infra:begin a -->', 'old a', 'old a 2', '<!-- create-tofu-infra:end a -->', 'mine below'].join(
      '\n',
    );
    expect(replaceGeneratedSections(current, rendered)).toBe(
      ['# t', 'mine above', '<!-- create-tofu-infra:begin a -->', 'new a', '<!-- create-tofu-infra:end a -->', 'mine below'].join('\n'),
    );
  });

  it('leaves a file whose markers the user removed, or an unclosed section, as it is', () => {
    expect(replaceGeneratedSections('no markers\n', rendered)).toBe('no markers\n');
    const unclosed = '<!-- create-tofu-infra:begin a -->\nold\n';
    expect(replaceGeneratedSections(unclosed, rendered)).toBe(unclosed);
  });
});
