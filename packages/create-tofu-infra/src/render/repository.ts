import { bootstrapFiles, bootstrapNeeded, BOOTSTRAP_ROOT, stateEnvironments } from '../features/bootstrap.js';
import { gcsBuckets } from '../features/backends/gcs.js';
import { ciTargets } from '../features/ci/index.js';
import { layouts } from '../features/layouts/index.js';
import type { RenderOptions, RootPlan } from '../features/types.js';
import { naming } from '../spec/naming.js';
import type { GeneratedFile, Spec } from '../spec/spec.js';
import { jsonFile, renderFolder } from './files.js';
import { manifestOf, MANIFEST_FILE } from './manifest.js';
import { moduleFlags } from './root.js';
import type { Templates } from './templates.js';

/** Every OpenTofu root of the repository a spec describes, bootstrap first. */
export function rootsOf(spec: Spec): RootPlan[] {
  return [...(bootstrapNeeded(spec) ? [BOOTSTRAP_ROOT] : []), ...layouts[spec.layout].roots(spec)];
}

/**
 * The pure core: a spec in, the complete list of files of the repository out (sorted by path).
 * No file system access beyond reading templates through `t`.
 */
export function renderRepository(spec: Spec, t: Templates, opts: RenderOptions = {}): GeneratedFile[] {
  const roots = rootsOf(spec);
  const files: GeneratedFile[] = [
    ...spec.modules.flatMap((m) => renderFolder(t, `modules/${m}`, `modules/${m}`, {})),
    ...layouts[spec.layout].files(spec, t, opts),
    ...bootstrapFiles(spec, t),
    ...spec.ci.flatMap((target) => ciTargets[target].files(spec, t, roots)),
    ...renderFolder(t, 'repo', '', repoData(spec, roots)),
    jsonFile(MANIFEST_FILE, manifestOf(spec, roots)),
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal error: two templates write ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function repoData(spec: Spec, roots: RootPlan[]) {
  return {
    spec,
    roots: roots.map((r) => r.path),
    modules: moduleFlags(spec.modules),
    bootstrap: bootstrapNeeded(spec),
    primaryRegion: spec.regions[0]!.name,
    regionNames: spec.regions.map((r) => r.name),
    firstEnv: spec.envs[0]!,
    isWorkspace: spec.layout === 'workspace',
    isDirectory: spec.layout === 'directory',
    isHybrid: spec.layout === 'hybrid',
    firstService: spec.services[0] ?? '',
    /** gcs: the state buckets to create by hand (no bootstrap stack). */
    gcsBuckets: spec.backend === 'gcs' ? gcsBuckets(spec) : undefined,
    /** OpenBao: the transit key and the policy of every environment that owns state. */
    openbao: spec.keyProvider === 'openbao' ? stateEnvironments(spec).map((env) => ({ env, key: naming.openbaoKey(spec, env), policy: naming.ciPolicy(spec, env) })) : undefined,
  };
}
