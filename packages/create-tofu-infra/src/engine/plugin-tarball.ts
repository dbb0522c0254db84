import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginTarball } from '../spec/spec.js';

/** The folder of this package that build.mjs packs the Nx plugin into (listed in package.json "files"). */
const BUNDLED_DIR = 'plugin';

/** This package's root: the nearest folder above this module with create-tofu-infra's package.json. */
function packageRoot(from: string): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'create-tofu-infra') return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The Nx plugin tarball this CLI carries (built from a source checkout, or inside its own packed
 * tarball), or undefined when it carries none: then the generated repository takes the plugin
 * from the registry. How a release decides: build.mjs leaves it out with CTI_PLUGIN_FROM_REGISTRY=1.
 */
export function bundledPluginTarball(from = fileURLToPath(import.meta.url)): PluginTarball | undefined {
  const root = packageRoot(from);
  const dir = root && join(root, BUNDLED_DIR);
  if (!dir || !existsSync(dir)) return undefined;
  const fileName = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  return fileName ? { fileName, bytes: readFileSync(join(dir, fileName)) } : undefined;
}
