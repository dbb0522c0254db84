// The pure planner and merge behind `create-tofu-infra upgrade` and the Nx generators' re-rendering:
// every case of one file (base = the old rendering, next = the new one, ours = the file as it is).
import { describe, expect, it } from 'vitest';
import { mergeText, planUpgrade, type FilePlan } from '../../packages/create-tofu-infra/src/index.js';
import { guardProblems, reinitAdvice, reinitRoots } from '../../packages/create-tofu-infra/src/upgrade/guards.js';

const labels = { ours: 'yours', theirs: 'create-tofu-infra 9.9.9' };
const TEXT = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';

function planOne(base: string | undefined, next: string | undefined, ours: string | undefined, path = 'f.txt'): FilePlan {
  const files = (v: string | undefined) => new Map(v === undefined ? [] : [[path, v]]);
  const [plan] = planUpgrade(files(base), files(next), files(ours), { labels });
  return plan!;
}

describe('planUpgrade: one file', () => {
  it('replaces a file the user never changed', () => {
    expect(planOne(TEXT, TEXT.replace('two', 'TWO'), TEXT)).toEqual({ path: 'f.txt', action: 'update', content: TEXT.replace('two', 'TWO') });
  });
  it('merges the user change and the template change when they touch different lines', () => {
    const plan = planOne(TEXT, TEXT.replace('two', 'TWO'), TEXT.replace('six', 'SIX'));
    expect(plan.action).toBe('merge');
    expect(plan.content).toBe(TEXT.replace('two', 'TWO').replace('six', 'SIX'));
  });
  it('writes git-style markers when both change the same line', () => {
    const plan = planOne(TEXT, TEXT.replace('four', 'template four'), TEXT.replace('four', 'my four'));
    expect(plan.action).toBe('conflict');
    expect(plan.content).toBe('one\ntwo\nthree\n<<<<<<< yours\nmy four\n=======\ntemplate four\n>>>>>>> create-tofu-infra 9.9.9\nfive\nsix\nseven\n');
  });
  it('keeps a user change the template did not touch', () => {
    expect(planOne(TEXT, TEXT, TEXT.replace('one', 'mine'))).toMatchObject({ action: 'keep' });
  });
  it('leaves a file the user deleted deleted', () => {
    expect(planOne(TEXT, TEXT.replace('two', 'TWO'), undefined)).toMatchObject({ action: 'deleted' });
  });
  it('creates a file the new version adds', () => {
    expect(planOne(undefined, TEXT, undefined)).toEqual({ path: 'f.txt', action: 'create', content: TEXT });
  });
  it('removes a file the new version drops, only when the user never changed it', () => {
    expect(planOne(TEXT, undefined, TEXT)).toEqual({ path: 'f.txt', action: 'delete' });
    expect(planOne(TEXT, undefined, `${TEXT}mine\n`)).toMatchObject({ action: 'keep' });
    expect(planOne(TEXT, undefined, undefined)).toMatchObject({ action: 'current' });
  });
  it('does nothing to a file already as the new version renders it', () => {
    expect(planOne(TEXT, TEXT.replace('two', 'TWO'), TEXT.replace('two', 'TWO'))).toMatchObject({ action: 'current' });
    expect(planOne(TEXT, TEXT, TEXT)).toMatchObject({ action: 'current' });
  });
  it('never merges into a *.tfvars file whose values the user set', () => {
    expect(planOne(TEXT, TEXT.replace('two', 'TWO'), TEXT.replace('six', 'SIX'), 'environments/dev/terraform.tfvars')).toMatchObject({ action: 'keep' });
    expect(planOne(TEXT, TEXT.replace('two', 'TWO'), TEXT, 'environments/dev/terraform.tfvars')).toMatchObject({ action: 'update' });
  });
  it('merges a file the user made where the new version now writes one against an empty base', () => {
    expect(planOne(undefined, TEXT, 'mine\n')).toMatchObject({ action: 'conflict' });
  });
  it('leaves the manifest to upgrade itself', () => {
    const m = new Map([['tofu-infra.json', '{}']]);
    expect(planUpgrade(m, new Map([['tofu-infra.json', '{"a":1}']]), m, { labels })).toEqual([]);
  });
});

describe('mergeText', () => {
  it('with style rej keeps the user side in the file and writes the hunks to the sidecar', () => {
    const r = mergeText(TEXT, TEXT.replace('four', 'my four'), TEXT.replace('four', 'template four'), labels, 'rej');
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe(TEXT.replace('four', 'my four'));
    expect(r.rejects).toContain('my four');
    expect(r.rejects).toContain('template four');
  });
  it('applies both sides when both made the same change', () => {
    expect(mergeText(TEXT, TEXT.replace('four', '4'), TEXT.replace('four', '4'), labels)).toEqual({ text: TEXT.replace('four', '4'), conflicts: 0 });
  });
});

describe('guards: encryption and state location never change silently', () => {
  const encryption = (provider: string) =>
    `terraform {\n  encryption {\n    key_provider "${provider}" "dev" {\n      x = 1\n    }\n    method "aes_gcm" "dev" {\n    }\n  }\n}\n`;
  const backend = (key: string) => `terraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "${key}"\n  }\n}\n`;
  it('stops on a key provider change, pointing at key-change', () => {
    const problems = guardProblems(
      new Map([['environments/dev/encryption.tf', encryption('aws_kms')]]),
      new Map([['environments/dev/encryption.tf', encryption('pbkdf2')]]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('key-change');
  });
  it('stops on a backend key change, explaining the migration', () => {
    const problems = guardProblems(
      new Map([['environments/dev/backend.tf', backend('a/terraform.tfstate')]]),
      new Map([['environments/dev/backend.tf', backend('b/terraform.tfstate')]]),
    );
    expect(problems[0]).toMatch(/moves this state[\s\S]*-migrate-state/);
  });
  it('lets comments and formatting change', () => {
    const before = new Map([
      ['environments/dev/encryption.tf', encryption('aws_kms')],
      ['environments/dev/backend.tf', backend('k')],
    ]);
    const after = new Map([
      ['environments/dev/encryption.tf', `# a new comment\n${encryption('aws_kms')}`],
      ['environments/dev/backend.tf', `# moved nowhere\n${backend('k').replace('bucket = "b"', 'bucket  =  "b"')}`],
    ]);
    expect(guardProblems(before, after)).toEqual([]);
  });
});

describe('reinitRoots: backend settings that change without moving the state', () => {
  const backend = (extra: string) => `terraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "k"\n${extra}  }\n}\n`;
  it('names the root of a backend.tf that gains a setting', () => {
    const base = new Map([
      ['environments/dev/backend.tf', backend('')],
      ['environments/prod/backend.tf', backend('')],
    ]);
    const next = new Map([
      ['environments/dev/backend.tf', backend('    profile = "scaleway"\n')],
      ['environments/prod/backend.tf', backend('')],
    ]);
    expect(reinitRoots(base, next)).toEqual(['environments/dev']);
    expect(reinitAdvice(['environments/dev'])).toMatch(/environments\/dev[\s\S]*tofu init -reconfigure/);
  });
  it('names a top-level backend.tf as "." and ignores comments, formatting and other files', () => {
    expect(reinitRoots(new Map([['backend.tf', backend('')]]), new Map([['backend.tf', backend('    use_lockfile = true\n')]]))).toEqual(['.']);
    expect(
      reinitRoots(
        new Map([
          ['backend.tf', backend('')],
          ['main.tf', 'a'],
        ]),
        new Map([
          ['backend.tf', `# why\n${backend('').replace('bucket = "b"', 'bucket   = "b" # the same')}`],
          ['main.tf', 'b'],
        ]),
      ),
    ).toEqual([]);
  });
  it('leaves a move of the state to guardProblems (which refuses it)', () => {
    const moved = new Map([['environments/dev/backend.tf', backend('').replace('"k"', '"k2"')]]);
    expect(reinitRoots(new Map([['environments/dev/backend.tf', backend('')]]), moved)).toEqual([]);
  });
});
