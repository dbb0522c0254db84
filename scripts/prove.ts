#!/usr/bin/env node
// npm run prove -- <create-tofu-infra flags> [--keep] [--grow]
// Scaffolds a repository with exactly those flags into a temporary directory and runs its whole
// life against local emulators (see test/prove/prove.ts); exit 0 only when every step passed.
import { prove, summary } from '../test/prove/prove.js';

const HELP = `Usage: npm run prove -- [create-tofu-infra flags] [--keep] [--grow]

Scaffolds a repository with the given flags (the target directory is chosen by prove) and runs its
whole life against local emulators: bootstrap (or, for gcs and scaleway, the buckets the README
says to create), then every root's init, saved encrypted plan, apply, an idempotent second plan,
remote state, a held lock refusing a second apply, another environment's key refused, and destroy
(prod's database must refuse it). One line per step, then a summary. Backends: s3 and scaleway on
moto, gcs on fake-gcs-server; key providers: aws_kms (moto), pbkdf2, openbao (a real OpenBao dev
server, set up with the README's commands, a wrong token refused), none.

  --keep    leave the repository (and its test-only override files) for inspection
  --grow    then grow it through its nx generators (s3 backend, every layout): add-environment qa,
            add-region / remove-region / --drop eu-west-2, key-change migrate and rotate
  --help    this text

Exit codes: 0 every step passed, 1 a step failed, 2 bad usage.
Example: npm run prove -- --layout hybrid --lock dynamodb --modules network`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const keep = args.includes('--keep');
const growth = args.includes('--grow');
const flags = args.filter((a) => a !== '--keep' && a !== '--grow');
console.error(`prove: create-tofu-infra ${flags.join(' ')}`.trimEnd());
const report = await prove(flags, { keep, grow: growth, log: (line) => console.error(line) });
console.log(summary(report));
if (keep) console.log(`kept: ${report.dir}`);
process.exit(report.ok ? 0 : 1);
