// Bundles the CLI and the library with esbuild (fast cold start: one file to load, and the heavy
// parts — prompts, process running — split into chunks loaded only when used), then copies the
// top-level templates/ into the package so the published tarball is self-contained.
import { build } from 'esbuild';
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
rmSync(join(here, 'dist'), { recursive: true, force: true });
rmSync(join(here, 'templates'), { recursive: true, force: true });

await build({
  entryPoints: { cli: join(here, 'src/cli.ts'), index: join(here, 'src/index.ts') },
  outdir: join(here, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS dependencies (handlebars, commander) still call require() for node builtins.
  banner: { js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});

chmodSync(join(here, 'dist', 'cli.js'), 0o755);
cpSync(join(here, '..', '..', 'templates'), join(here, 'templates'), { recursive: true });
