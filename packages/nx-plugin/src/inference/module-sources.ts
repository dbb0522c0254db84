import { posix } from 'node:path';

// A `source = "./..."` or `source = "../..."` attribute at the start of a line. Only module
// sources can be local paths (provider sources are registry addresses), so no HCL parser is
// needed to find them.
const LOCAL_SOURCE = /^[ \t]*source[ \t]*=[ \t]*"(\.{1,2}\/[^"]*)"/gm;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

/** The local module directories one HCL file calls, relative to the file's own directory. */
export function localModuleSources(hcl: string): string[] {
  return [...hcl.replace(BLOCK_COMMENT, '').matchAll(LOCAL_SOURCE)].map((m) => m[1]!);
}

/** Resolves a local source against the directory of the file that names it; undefined when it leaves the workspace. */
export function resolveSource(fileDir: string, source: string): string | undefined {
  const joined = posix.normalize(posix.join(fileDir, source)).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '' ? '.' : joined;
}
