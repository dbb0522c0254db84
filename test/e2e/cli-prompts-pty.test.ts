// The interactive run, on a real pseudo-terminal (Python's pty module drives the built CLI as a
// person would): every answer is checked as it is typed and the question asked again with the
// problem; the target directory right after its prompt; Escape leaves a selection alone.
// CI is unset in the child: the CLI never prompts in CI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../harness/cli.js';
import { tempDir } from '../harness/tmp.js';
import { STACK_TRACE, treeFingerprint } from '../harness/tree.js';

type Step = { expect: string; timeout?: number } | { send: string } | { sleep: number };

const ENTER = '\r';
/** Ctrl-U: readline clears the line typed so far (an answer refused stays on the line). */
const CLEAR = '\x15';
const ESCAPE = '\x1b';
const DOWN = '\x1b[B';
const UP = '\x1b[A';

async function drive(cwd: string, args: string[], steps: Step[]) {
  const { CI: _ci, GITHUB_ACTIONS: _gha, GITLAB_CI: _glc, ...env } = process.env;
  const r = await execa('python3', [join(REPO, 'test', 'harness', 'pty_drive.py'), JSON.stringify([process.execPath, CLI, ...args]), JSON.stringify(steps)], {
    cwd,
    env: { ...env, TERM: 'xterm-256color', COLUMNS: '200' },
    extendEnv: false,
  });
  return JSON.parse(r.stdout) as { exitCode: number; transcript: string; error?: string };
}

describe('interactive prompts (pty)', () => {
  it('re-asks every refused answer with its problem, keeps a selection on Escape, and scaffolds', async () => {
    const cwd = tempDir('cti-pty-');
    writeFileSync(join(cwd, 'afile'), 'x');
    const r = await drive(
      cwd,
      ['--skip-validate'],
      [
        { expect: 'Directory to create' },
        { send: `afile${ENTER}` },
        { expect: 'afile exists and is a file, not a directory' },
        { send: `${CLEAR}repo${ENTER}` },
        { expect: 'Bucket names are global' },
        { expect: 'Name prefix of buckets, keys and aliases \\(repo-[a-z0-9]{4}\\)' },
        { send: `Bad Name${ENTER}` },
        { expect: 'contains a space' },
        { send: `${CLEAR}acme${ENTER}` },
        { expect: 'Layout' },
        { expect: 'one complete root per environment' },
        // Escape, then Enter: the default (directory) stays selected.
        { send: ESCAPE },
        { sleep: 0.7 },
        { send: ENTER },
        { expect: 'Environments' },
        { send: `dev,Prod${ENTER}` },
        { expect: 'environment name "Prod" has uppercase letters' },
        { send: `${CLEAR}dev,prod${ENTER}` },
        { expect: 'AWS regions' },
        { send: `eu-west-9${ENTER}` },
        { expect: 'region "eu-west-9" is not in the AWS region list' },
        { send: `${CLEAR}eu-west-1,eu-central-1${ENTER}` },
        { expect: 'State backend' },
        { expect: 'AWS S3, one bucket per environment' },
        { send: ENTER },
        { expect: 'State locking' },
        { send: ENTER },
        { expect: 'State and plan encryption' },
        { send: ENTER },
        { expect: 'CI pipelines' },
        { send: ENTER },
        // Both CIs chosen: the repositories their roles trust, left empty (set later in bootstrap).
        { expect: 'GitHub repository the CI roles trust' },
        { send: ENTER },
        { expect: 'GitLab project the CI roles trust' },
        { send: ENTER },
        { expect: 'Code owners' },
        { send: `not-an-owner${ENTER}` },
        { expect: 'is not a code owner' },
        { send: `${CLEAR}@acme/platform${ENTER}` },
        { expect: 'Next steps', timeout: 30 },
      ],
    );
    expect(r.error).toBeUndefined();
    expect(r.transcript).not.toMatch(STACK_TRACE);
    expect(r.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, 'repo', 'tofu-infra.json'), 'utf8'));
    expect(manifest.spec).toMatchObject({
      name: 'acme',
      layout: 'directory',
      envs: ['dev', 'prod'],
      regions: [{ name: 'eu-west-1' }, { name: 'eu-central-1' }],
      backend: 's3',
      owners: ['@acme/platform'],
    });
  }, 60_000);

  it('asks a choice again when it breaks a rule with the answers before it (hybrid with an environment named shared)', async () => {
    const cwd = tempDir('cti-pty-');
    const r = await drive(
      cwd,
      ['repo', '--envs', 'dev,shared', '--name', 'acme', '--skip-validate'],
      [
        { expect: 'Layout' },
        { send: DOWN },
        { expect: 'modules/ \\+ shared/' },
        { send: ENTER },
        { expect: '"shared" cannot be an environment in the hybrid layout' },
        { expect: 'Layout' },
        { send: UP },
        { expect: 'one complete root per environment' },
        { send: ENTER },
        { expect: 'AWS regions' },
        { send: ENTER },
        { expect: 'State backend' },
        { send: ENTER },
        { expect: 'State locking' },
        { send: ENTER },
        { expect: 'State and plan encryption' },
        { send: ENTER },
        { expect: 'CI pipelines' },
        { send: ENTER },
        // Both CIs chosen: the repositories their roles trust, left empty (set later in bootstrap).
        { expect: 'GitHub repository the CI roles trust' },
        { send: ENTER },
        { expect: 'GitLab project the CI roles trust' },
        { send: ENTER },
        { expect: 'Code owners' },
        { send: ENTER },
        { expect: 'Next steps', timeout: 30 },
      ],
    );
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'repo', 'tofu-infra.json'), 'utf8')).spec).toMatchObject({ layout: 'directory', envs: ['dev', 'shared'] });
  }, 60_000);

  it('checks a non-empty target right after its prompt: declining cancels (130), nothing written', async () => {
    const cwd = tempDir('cti-pty-');
    mkdirSync(join(cwd, 'repo'));
    writeFileSync(join(cwd, 'repo', 'NOTES.md'), 'mine\n');
    const before = treeFingerprint(cwd);
    const r = await drive(
      cwd,
      [],
      [
        { expect: 'Directory to create' },
        { send: `repo${ENTER}` },
        { expect: 'repo is not empty. Write into it anyway' },
        { send: `n${ENTER}` },
        { expect: 'Cancelled: nothing was written' },
      ],
    );
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(130);
    expect(r.transcript).not.toContain('Layout');
    expect(treeFingerprint(cwd)).toEqual(before);
  }, 60_000);

  it('refuses bad flags before the first question', async () => {
    const cwd = tempDir('cti-pty-');
    const r = await drive(cwd, ['repo', '--envs', 'Dev'], [{ expect: 'environment name "Dev" has uppercase letters' }, { expect: 'Nothing was written' }]);
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(2);
    expect(r.transcript).not.toContain('Name prefix');
  }, 60_000);
});
