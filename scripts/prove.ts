#!/usr/bin/env node
// npm run prove -- <create-tofu-infra flags> [--keep]
// Scaffolds a repository with exactly those flags into a temporary directory and runs its whole
// life against local emulators (see test/prove/prove.ts); exit 0 only when every step passed.
import { prove, summary } from '../test/prove/prove.js';

const HELP = `Usage: npm run prove -- [create-tofu-infra flags] [--keep]

Scaffolds a repository with the given flags (the target directory is chosen by prove) and runs its
whole life against moto: bootstrap, then every root's init, saved encrypted plan, apply, an
idempotent second plan, remote state, a held lock refusing a second apply, another environment's
key refused, and destroy (prod's database must refuse it). One line per step, then a summary.

  --keep    leave the repository (and its test-only override files) for inspection
  --help    this text

Exit codes: 0 every step passed, 1 a step failed, 2 bad usage.
Example: npm run prove -- --layout hybrid --lock dynamodb --modules network`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const keep = args.includes('--keep');
const flags = args.filter((a) => a !== '--keep');
console.error(`prove: create-tofu-infra ${flags.join(' ')}`.trimEnd());
const report = await prove(flags, { keep, log: (line) => console.error(line) });
console.log(summary(report));
if (keep) console.log(`kept: ${report.dir}`);
process.exit(report.ok ? 0 : 1);
