// The pair coverage of the lives `npm test` runs through prove, computed from the life table
// (test/prove/lives.ts) with the CLI's own defaults: dropping or changing a life that is the only
// one covering a pair fails here, before any e2e time is spent.
import { describe, expect, it } from 'vitest';
import { resolveSpec, type RawChoices } from '../../packages/create-tofu-infra/src/index.js';
import { FULL_LIVES, STATE_ONLY_LIVES, type Life } from '../prove/lives.js';

/** Everything prove runs against an emulator (gcp_kms and http have none; see test/prove/prove.ts). */
const LAYOUTS = ['directory', 'hybrid', 'workspace'];
const BACKENDS = ['s3', 'gcs', 'scaleway'];
const KEY_PROVIDERS = ['aws_kms', 'pbkdf2', 'openbao', 'none'];
const LOCKS = ['lockfile', 'dynamodb', 'both'];
/** Keys in AWS with state elsewhere: left out of the matrix on purpose (see lives.ts). */
const OUTSIDE = ['gcs x aws_kms', 'scaleway x aws_kms'];

const FLAGS: Record<string, keyof RawChoices> = { '--layout': 'layout', '--backend': 'backend', '--key-provider': 'keyProvider', '--lock': 'lock' };

function specOf(life: Life) {
  const raw: RawChoices = {};
  for (let i = 0; i < life.flags.length; i += 2) {
    const field = FLAGS[life.flags[i]!];
    if (field) raw[field] = life.flags[i + 1];
  }
  const spec = resolveSpec(raw, { directoryName: 'prove', generatorVersion: '0.0.0-test' });
  return { ...spec, lock: spec.backend === 's3' ? (spec.lock ?? 'lockfile') : undefined };
}

const pairs = (a: string[], b: string[]) => a.flatMap((x) => b.map((y) => `${x} x ${y}`));
const covered = (lives: Life[]) =>
  new Set(
    lives.map(specOf).flatMap((s) => [`${s.layout} x ${s.backend}`, `${s.layout} x ${s.keyProvider}`, `${s.backend} x ${s.keyProvider}`, `lock ${s.lock}`]),
  );

describe('the lives prove runs in npm test', () => {
  const lives = [...FULL_LIVES, ...STATE_ONLY_LIVES];

  it('cover every layout x backend, layout x key provider and backend x key provider pair, and every lock kind', () => {
    const wanted = [
      ...pairs(LAYOUTS, BACKENDS),
      ...pairs(LAYOUTS, KEY_PROVIDERS),
      ...pairs(BACKENDS, KEY_PROVIDERS).filter((p) => !OUTSIDE.includes(p)),
      ...LOCKS.map((l) => `lock ${l}`),
    ];
    const have = covered(lives);
    expect(wanted.filter((p) => !have.has(p))).toEqual([]);
  });

  it('grow every layout', () => {
    expect(new Set(lives.filter((l) => l.grow).map((l) => specOf(l).layout))).toEqual(new Set(LAYOUTS));
  });

  it('have no life whose pairs all come from the others (each one pays its e2e time)', () => {
    const redundant = STATE_ONLY_LIVES.filter((life) => {
      const others = covered(lives.filter((l) => l !== life));
      return (
        [...covered([life])].every((p) => others.has(p)) && !(life.grow && !lives.some((l) => l !== life && l.grow && specOf(l).layout === specOf(life).layout))
      );
    });
    expect(redundant.map((l) => l.name)).toEqual([]);
  });

  it('grow only where the bootstrap stack is (add-environment, then bootstrap apply)', () => {
    expect(lives.filter((l) => l.grow && specOf(l).backend !== 's3').map((l) => l.name)).toEqual([]);
  });
});
