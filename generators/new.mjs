#!/usr/bin/env node
// Runs a contributor generator without prompts, then formats what it wrote:
//   node generators/new.mjs backend <name> <opentofu backend type>
//   node generators/new.mjs key-provider <name> [<key_provider type>]
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodePlop from 'node-plop';

const here = dirname(fileURLToPath(import.meta.url));
const NAME = /^[a-z][a-z0-9_]*$/;
const [generator, name, type = generator === 'key-provider' ? name : undefined] = process.argv.slice(2);
const plop = await nodePlop(join(here, 'plopfile.mjs'));
const names = plop.getGeneratorList().map((g) => g.name);
if (!generator || !names.includes(generator) || !name || !NAME.test(name) || !type || !NAME.test(type)) {
  console.error('usage: npm run new -- backend <name> <opentofu backend type>   (e.g. minio s3)');
  console.error('       npm run new -- key-provider <name> [<key_provider type>]   (e.g. external)');
  console.error('names and types: lowercase letters, digits, underscores');
  process.exit(2);
}
const { changes, failures } = await plop.getGenerator(generator).runActions({ name, type });
for (const c of changes) console.log(`  ${c.type}: ${c.path}`);
for (const f of failures) console.error(`  failed: ${f.path ?? ''} ${f.error}`);
if (failures.length > 0) process.exit(1);
// The TypeScript it wrote, formatted the way `npm run lint` checks it.
const written = changes.map((c) => c.path).filter((p) => p.endsWith('.ts'));
execFileSync(
  process.execPath,
  [join(here, '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--write', '--log-level', 'warn', ...written.map((p) => relative(process.cwd(), p))],
  { stdio: 'inherit' },
);
console.log(`Next: fill in the TODOs, then npm run build && npm run test:fast (see ARCHITECTURE.md).`);
