// Negative controls of the first-run credentials (the positive lives are the scaleway and pbkdf2
// cases of prove-lifecycle.test.ts): prove takes every credential from the generated README's
// export block and, for Scaleway, moto's IAM keeps the backend's keys and the aws provider's apart
// (backends.ts, scalewayStore). Each case breaks one thing and fails early, before any long apply.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prove, summary } from '../prove/prove.js';

/** Alone, each case takes under a minute; beside the other e2e files on two shared cores, several times that. */
const TIMEOUT_MS = 20 * 60_000;
const log = process.env.PROVE_LOG ? (line: string) => console.error(line) : undefined;
const SCALEWAY = ['--layout', 'hybrid', '--backend', 'scaleway', '--key-provider', 'none', '--modules', 'network', '--envs', 'dev', '--ci', 'none'];

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`sabotage did not apply to ${file}: ${String(from)}`);
  writeFileSync(file, next);
}

/** Every file under `dir` named `name`. */
function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesNamed(path, name);
    return entry === name ? [path] : [];
  });
}

/** Renames a variable in the README's first-run credentials block only (its lines and the commands using it). */
function renameInCredentialsBlock(repo: string, from: string, to: string): void {
  const file = join(repo, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const at = readme.indexOf('Credentials, in the shell');
  const end = readme.indexOf('```\n', readme.indexOf('```sh', at) + 5);
  const block = readme.slice(at, end);
  if (!block.includes(from)) throw new Error(`the README's credentials block does not name ${from}`);
  writeFileSync(file, readme.slice(0, at) + block.replaceAll(from, to) + readme.slice(end));
}

describe.concurrent('prove: credentials come from the README block, Scaleway keys apart from AWS keys', () => {
  it(
    'scaleway: a backend without its profile reads the AWS keys, and is denied the state',
    async () => {
      const report = await prove(SCALEWAY, {
        log,
        sabotage: (repo) => {
          for (const file of filesNamed(repo, 'backend.tf')) edit(file, /\n\s*profile = "scaleway"\n/, '\n');
        },
      });
      expect(report.ok, summary(report)).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('shared');
      expect(failed.step).toBe('init');
      expect(failed.detail).toMatch(/AccessDenied|403/);
    },
    TIMEOUT_MS,
  );

  it(
    'scaleway: a remote state without the profile reads shared/ with the AWS keys, and is denied',
    async () => {
      const report = await prove(SCALEWAY, {
        log,
        sabotage: (repo) => edit(join(repo, 'services', 'app', 'envs', 'dev', 'main.tf'), /\n\s*profile\s*= "scaleway"\n/, '\n'),
      });
      expect(report.ok, summary(report)).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('services/app/envs/dev');
      expect(failed.step).toMatch(/plan/);
      expect(failed.detail).toMatch(/AccessDenied|403/);
    },
    TIMEOUT_MS,
  );

  it.each([
    ['scaleway', SCALEWAY, 'SCW_ACCESS_KEY', 'SCW_ACCESS_KEY_ID'],
    ['pbkdf2', ['--modules', 'network', '--envs', 'dev', '--ci', 'none', '--key-provider', 'pbkdf2'], 'TF_VAR_state_passphrase', 'TF_VAR_state_password'],
  ])(
    '%s: a README block that names the wrong variable fails the life',
    async (_name, flags, from, to) => {
      const report = await prove(flags, { log, sabotage: (repo) => renameInCredentialsBlock(repo, from, to) });
      expect(report.ok, summary(report)).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.step).toBe('credentials (README)');
      expect(failed.detail).toContain(`exports ${to}, which prove has no emulator value for`);
    },
    TIMEOUT_MS,
  );
});
