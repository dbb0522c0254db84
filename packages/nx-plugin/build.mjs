// Bundles the plugin into CommonJS (what Nx requires): dist/index.cjs holds only the inference
// (loaded on every project graph computation, so it stays small and loads nothing else);
// dist/generators.cjs holds the generators with the create-tofu-infra core compiled in from its
// sources. The top-level templates/ are copied in, so the packed plugin renders on its own.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const generators = ['add-environment', 'remove-environment', 'add-region', 'remove-region', 'key-change', 'add-service', 'upgrade'];
rmSync(join(here, 'dist'), { recursive: true, force: true });
rmSync(join(here, 'templates'), { recursive: true, force: true });

await build({
  entryPoints: { index: join(here, 'src/index.ts'), generators: join(here, 'src/generators.ts') },
  outdir: join(here, 'dist'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Nx is the host: its types are all we use, and the workspace provides it at run time.
  external: ['nx', '@nx/devkit'],
  // The core finds templates/ from its own module URL; in CommonJS that is this file's URL.
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__import_meta_url' },
  legalComments: 'none',
  logLevel: 'warning',
});

for (const name of generators) {
  cpSync(join(here, 'src/generators', name, 'schema.json'), join(here, 'dist/generators', name, 'schema.json'));
}
cpSync(join(here, '..', '..', 'templates'), join(here, 'templates'), { recursive: true });
