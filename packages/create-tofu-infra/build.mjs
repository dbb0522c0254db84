// Bundles the CLI and the library with esbuild (fast cold start: one file to load, and the heavy
// parts — prompts, process running — split into chunks loaded only when used), then copies the
// top-level templates/ into the package so the published tarball is self-contained, and packs the
// Nx plugin (built first: the root `prepare` and the Nx build target order it) into plugin/, which
// the CLI ships into every repository it generates (engine/plugin-tarball.ts).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
rmSync(join(here, 'dist'), { recursive: true, force: true });
rmSync(join(here, 'templates'), { recursive: true, force: true });
rmSync(join(here, 'plugin'), { recursive: true, force: true });

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

// A release whose plugin is on the registry sets CTI_PLUGIN_FROM_REGISTRY=1: without plugin/, the
// generated package.json asks the registry for the plugin of this CLI's version.
if (!process.env.CTI_PLUGIN_FROM_REGISTRY) {
  const plugin = join(here, '..', 'nx-plugin');
  if (!existsSync(join(plugin, 'dist', 'generators.cjs'))) {
    throw new Error('packages/nx-plugin is not built: run `node packages/nx-plugin/build.mjs` first (npm ci and nx build do).');
  }
  mkdirSync(join(here, 'plugin'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', join(here, 'plugin')], { cwd: plugin, stdio: ['ignore', 'ignore', 'inherit'] });
}
