// What the built CLI writes and says when the input is fine: `.` filled in place, --force with the
// files already there, --dry-run per file, --json, the exit code without tofu, a reader that goes away.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { STACK_TRACE, treeFingerprint } from '../harness/tree.js';

/** No tofu to find: validation cannot run. */
const NO_TOFU = { TOFU_BINARY: '/nonexistent/tofu' };

describe.concurrent('create-tofu-infra writes', { timeout: 20_000 }, () => {
  it('`.` fills the current directory in place (the directory itself is never replaced)', async () => {
    const dir = join(tempDir('cti-dot-'), 'acme');
    mkdirSync(dir);
    const inode = statSync(dir).ino;
    const r = await runCli(['.', '--skip-validate'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Scaffolding acme in . (');
    expect(r.stdout).not.toContain('cd .');
    expect(statSync(dir).ino).toBe(inode);
    expect(readdirSync(dir)).toContain('tofu-infra.json');
    expect(readdirSync(dir).filter((e) => e.includes('create-tofu-infra'))).toEqual([]);
    expect(readdirSync(join(dir, '..'))).toEqual(['acme']);
  });

  it('--force --keep-existing leaves the user’s files and writes the rest; --overwrite replaces them, naming each', async () => {
    const parent = tempDir('cti-force-');
    const out = join(parent, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), '# mine\n');
    writeFileSync(join(out, 'NOTES.md'), 'not generated\n');
    const kept = await runCli(['out', '--force', '--keep-existing', '--skip-validate', '--name', 'acme'], { cwd: parent });
    expect(kept.exitCode).toBe(0);
    expect(kept.stdout).toContain('kept as it was (--keep-existing): README.md');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('# mine\n');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('not generated\n');
    expect(readdirSync(out)).toContain('tofu-infra.json');

    // A second run: everything it writes is there as it is, but the README.
    const dry = await runCli(['out', '--force', '--overwrite', '--dry-run', '--name', 'acme'], { cwd: parent });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}replace {3}README\.md$/m);
    expect(dry.stdout).toMatch(/^ {2}unchanged tofu-infra\.json$/m);
    expect(dry.stdout).toMatch(/would write 1 files; 1 of them replacing different ones; \d+ already there as they are/);

    const over = await runCli(['out', '--force', '--overwrite', '--skip-validate', '--name', 'acme'], { cwd: parent });
    expect(over.exitCode).toBe(0);
    expect(over.stdout).toContain('replaced (--overwrite): README.md');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).not.toBe('# mine\n');
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('not generated\n');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('--dry-run lists each file with what it would do, and writes nothing', async () => {
    const parent = tempDir('cti-dry-');
    const r = await runCli(['out', '--dry-run'], { cwd: parent });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Dry run: ');
    expect(r.stdout).toContain('  create    environments/dev/backend.tf');
    expect(r.stdout).toContain('  create    tofu-infra.json');
    expect(r.stdout).toContain('Nothing was written.');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('exits 3 when validation was asked for but no tofu was found, 0 with --skip-validate', async () => {
    const unvalidated = await runCli(['out', '--name', 'acme'], { cwd: tempDir(), env: NO_TOFU });
    expect(unvalidated.stderr).toContain('Not validated: no `tofu` found');
    expect(unvalidated.stderr).toContain('--skip-validate');
    expect(unvalidated.exitCode).toBe(3);
    const skipped = await runCli(['out', '--name', 'acme', '--skip-validate'], { cwd: tempDir(), env: NO_TOFU });
    expect(skipped.exitCode).toBe(0);
  });
});

describe.concurrent('create-tofu-infra --json', { timeout: 20_000 }, () => {
  it('prints one JSON result on stdout, and nothing else there', async () => {
    const parent = tempDir('cti-json-');
    const r = await runCli(['out', '--json', '--layout', 'hybrid', '--name', 'acme'], { cwd: parent, env: NO_TOFU });
    const result = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(3);
    expect(result).toMatchObject({ exitCode: 3, dir: 'out', dryRun: false, written: true, validation: { status: 'no-tofu' }, errors: [] });
    expect(result.roots).toEqual(['bootstrap', 'shared', 'services/app/envs/dev', 'services/app/envs/staging', 'services/app/envs/prod']);
    expect(result.files).toContainEqual({ path: 'tofu-infra.json', action: 'create' });
    expect(result.files.length).toBe(
      readdirSync(join(parent, 'out'), { recursive: true }).filter((p) => statSync(join(parent, 'out', String(p))).isFile()).length,
    );
    expect(r.stderr).toContain('Scaffolding acme in out');
  });

  it('a refusal is JSON too: exit code 2 and the problems', async () => {
    const r = await runCli(['out', '--json', '--envs', 'Dev'], { cwd: tempDir() });
    expect(r.exitCode).toBe(2);
    const result = JSON.parse(r.stdout);
    expect(result.exitCode).toBe(2);
    expect(result.written).toBe(false);
    expect(result.errors[0]).toMatch(/environment name "Dev" has uppercase letters/);
  });

  it('a dry run: the files and what it would do with each', async () => {
    const r = await runCli(['out', '--json', '--dry-run', '--skip-validate'], { cwd: tempDir() });
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ exitCode: 0, dryRun: true, written: false, validation: { status: 'not-run' } });
    expect(new Set(result.files.map((f: { action: string }) => f.action))).toEqual(new Set(['create']));
  });
});

describe.concurrent('a reader that goes away (EPIPE)', { timeout: 20_000 }, () => {
  /** Runs `create-tofu-infra <args> | <reader>` in a shell; node's own exit code comes back on fd 3. */
  async function piped(args: string, reader: string) {
    const cwd = tempDir('cti-pipe-');
    const r = await execa('bash', ['-c', `"${process.execPath}" "${CLI}" ${args} | ${reader}; echo "node exit \${PIPESTATUS[0]}" >&2`], {
      cwd,
      env: { ...process.env, CI: 'true', ...NO_TOFU },
      reject: false,
    });
    return { ...r, cwd };
  }

  it.each([
    ['head -1', 'out --dry-run --name acme', 'head -1'],
    ['a reader gone before the first line', 'out --dry-run --name acme', 'true'],
    ['a real run, reader gone', 'out --name acme --skip-validate', 'true'],
  ])('%s: no trace, the run completes with its own exit code', async (_name, args, reader) => {
    const r = await piped(args, reader);
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toContain('node exit 0');
    if (!args.includes('--dry-run')) expect(treeFingerprint(r.cwd).some((line) => line.startsWith('out/tofu-infra.json file'))).toBe(true);
  });
});
