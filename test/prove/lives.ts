// The lives `npm test` runs through prove (test/e2e/prove-lifecycle.test.ts), as data: the unit test
// test/unit/prove-lives.test.ts computes from it which layout x backend, layout x key provider and
// backend x key provider pairs, lock kinds and growth layouts are covered, so none is dropped silently.
//
// Full lives (modules, s3, the default aws_kms) cover one layout each. The state-only lives are a
// Latin square over the rest: layout x key provider (pbkdf2, openbao, none) with each backend once
// per row and column, so every pair appears exactly once. The s3 cells carry the lock kinds and
// growth (which re-applies bootstrap), one per layout:
//
//                 pbkdf2                   openbao                  none
//   directory     s3, lock both, --grow    gcs                      scaleway
//   hybrid        gcs                      scaleway                 s3, dynamodb, --grow
//   workspace     scaleway                 s3, lockfile, --grow     gcs
//
// aws_kms with the gcs or scaleway backend (keys in AWS, state elsewhere) is not in the matrix:
// two more lives for a combination no README recommends; gcp_kms and http have no emulator here.

export interface Life {
  name: string;
  flags: string[];
  /** Grow the repository through its nx generators after its life (test/prove/growth.ts). */
  grow?: boolean;
}

const FULL = ['--envs', 'dev,prod', '--ci', 'none'];
const STATE_ONLY = ['--modules', 'network', '--ci', 'none'];

/** Every layout's whole life, modules included (VPC, subnets, NAT, RDS, launch template, autoscaling). */
export const FULL_LIVES: Life[] = [
  { name: 'directory', flags: FULL },
  { name: 'hybrid', flags: ['--layout', 'hybrid', ...FULL] },
  { name: 'workspace', flags: ['--layout', 'workspace', '--lock', 'dynamodb', ...FULL] },
];

/**
 * State-only lives (network module) over the remaining pairs. The grown ones first: vitest starts
 * a file's concurrent cases in order, five at a time, and the longest should not start last.
 */
export const STATE_ONLY_LIVES: Life[] = [
  {
    name: 'directory, s3, lock both, pbkdf2, grown (rotate to aws_kms)',
    flags: ['--lock', 'both', '--key-provider', 'pbkdf2', '--envs', 'dev,prod', ...STATE_ONLY],
    grow: true,
  },
  {
    name: 'hybrid, s3, dynamodb, no encryption, grown (rotate to pbkdf2)',
    flags: ['--layout', 'hybrid', '--lock', 'dynamodb', '--key-provider', 'none', '--envs', 'dev', ...STATE_ONLY],
    grow: true,
  },
  {
    name: 'workspace, s3, lockfile, openbao, grown (rotate to pbkdf2)',
    flags: ['--layout', 'workspace', '--key-provider', 'openbao', '--envs', 'dev,prod', ...STATE_ONLY],
    grow: true,
  },
  {
    name: 'directory, gcs (fake-gcs-server), openbao',
    flags: ['--backend', 'gcs', '--key-provider', 'openbao', '--envs', 'dev,prod', ...STATE_ONLY],
  },
  {
    name: 'directory, scaleway (moto), no encryption',
    flags: ['--backend', 'scaleway', '--key-provider', 'none', '--envs', 'dev', ...STATE_ONLY],
  },
  // Services decrypt shared's state with shared's passphrase (TF_VAR_shared_state_passphrase), not their own.
  {
    name: 'hybrid, gcs, pbkdf2',
    flags: ['--layout', 'hybrid', '--backend', 'gcs', '--key-provider', 'pbkdf2', '--envs', 'dev,prod', ...STATE_ONLY],
  },
  {
    name: 'hybrid, scaleway (moto), openbao (dev server)',
    flags: ['--layout', 'hybrid', '--backend', 'scaleway', '--key-provider', 'openbao', '--envs', 'dev', ...STATE_ONLY],
  },
  {
    name: 'workspace, scaleway (moto), pbkdf2',
    flags: ['--layout', 'workspace', '--backend', 'scaleway', '--key-provider', 'pbkdf2', '--envs', 'dev,prod', ...STATE_ONLY],
  },
  {
    name: 'workspace, gcs, no encryption',
    flags: ['--layout', 'workspace', '--backend', 'gcs', '--key-provider', 'none', '--envs', 'dev', ...STATE_ONLY],
  },
];
