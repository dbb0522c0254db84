import type { GeneratedFile, PluginTarball, Spec } from '../spec/spec.js';

/** Where a generated repository keeps the plugin tarball it installs from (committed with it, so `npm ci` works anywhere). */
export const PLUGIN_DIR = '.tofu-infra';

/** The Nx plugin's package name, as the generated package.json and nx.json name it. */
export const PLUGIN_PACKAGE = '@create-tofu-infra/nx';

/**
 * The generated package.json's version of the plugin: `file:` the shipped tarball when this CLI
 * carries one (a source checkout or a packed tarball), the registry version otherwise (a CLI
 * published without one, once the plugin is published beside it).
 */
export function pluginDependency(spec: Spec, tarball: PluginTarball | undefined): string {
  return tarball ? `file:${PLUGIN_DIR}/${tarball.fileName}` : spec.generatorVersion;
}

/** The shipped tarball as a file of the repository, byte for byte. */
export function pluginFiles(tarball: PluginTarball | undefined): GeneratedFile[] {
  return tarball ? [{ path: `${PLUGIN_DIR}/${tarball.fileName}`, content: tarball.bytes }] : [];
}
