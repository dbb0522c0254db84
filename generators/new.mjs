#!/usr/bin/env node
// Runs a contributor generator without prompts: node generators/new.mjs <generator> <name>
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodePlop from 'node-plop';

const [generator, name] = process.argv.slice(2);
const plop = await nodePlop(join(dirname(fileURLToPath(import.meta.url)), 'plopfile.mjs'));
const names = plop.getGeneratorList().map((g) => g.name);
if (!generator || !names.includes(generator) || !name || !/^[a-z][a-z0-9_]*$/.test(name)) {
  console.error(`usage: npm run new -- <${names.join('|')}> <name>   (name: lowercase letters, digits, underscores)`);
  process.exit(2);
}
const { changes, failures } = await plop.getGenerator(generator).runActions({ name });
for (const c of changes) console.log(`  ${c.type}: ${c.path}`);
for (const f of failures) console.error(`  failed: ${f.path ?? ''} ${f.error}`);
process.exit(failures.length ? 1 : 0);
