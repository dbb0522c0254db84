import { renderFolder, jsonFile } from '../engine/files.js';
import type { Templates } from '../engine/templates.js';
import { backendOf } from '../features/backends/index.js';
import { stateBuckets } from '../features/backends/buckets.js';
import { gcpKmsSetup } from '../features/key-providers/gcp-kms.js';
import { SCALEWAY_ENDPOINT, SCALEWAY_PROFILE, SCALEWAY_REGION } from '../features/backends/scaleway.js';
import { GCS_BUCKET_LOCATION } from '../features/backends/gcs.js';
import { openbaoSetup } from '../features/key-providers/openbao.js';
import { BOOTSTRAP_ROOT, bootstrapFiles, bootstrapHome, bootstrapLockTables, bootstrapNeeded } from '../features/bootstrap.js';
import { ciSetup, firstRunCredentials } from '../features/ci/credentials.js';
import { ciTargetOf } from '../features/ci/index.js';
import { keyProviderOf } from '../features/key-providers/index.js';
import { layoutOf } from '../features/layouts/index.js';
import { pluginDependency, pluginFiles } from '../features/nx-plugin.js';
import { qualityFiles } from '../features/quality.js';

import type { LayoutReadme } from '../features/types.js';
import { ACCOUNT_ROLE } from '../spec/accounts.js';
import type { GeneratedFile, RenderOptions, RootPlan, Spec } from '../spec/spec.js';
import { manifestOf, MANIFEST_FILE } from './manifest.js';

/** Every OpenTofu root of the repository a spec describes, bootstrap first. */
export function rootsOf(spec: Spec): RootPlan[] {
  return [...(bootstrapNeeded(spec) ? [BOOTSTRAP_ROOT] : []), ...layoutOf(spec).roots(spec)];
}

/**
 * The pure core: a spec in, the complete list of files of the repository out (sorted by path).
 * No file system access beyond reading templates through `t`.
 */
export function renderRepository(spec: Spec, t: Templates, opts: RenderOptions = {}): GeneratedFile[] {
  const roots = rootsOf(spec);
  const files: GeneratedFile[] = [
    ...spec.modules.flatMap((m) => renderFolder(t, `modules/${m}`, `modules/${m}`, {})),
    ...layoutOf(spec).files(spec, t, opts),
    ...bootstrapFiles(spec, t),
    ...spec.ci.flatMap((target) => ciTargetOf(target).files(spec, t, roots)),
    ...qualityFiles(spec, t, roots),
    ...renderFolder(t, 'repo', '', repoData(spec, roots, opts)),
    ...pluginFiles(opts.pluginTarball),
    jsonFile(MANIFEST_FILE, manifestOf(spec, roots, t.fingerprint)),
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal error: two templates write ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Template data of templates/repo/ (README.md, package.json, nx.json, .gitignore). */
export interface RepoData {
  spec: Spec;
  roots: string[];
  bootstrap: boolean;
  /** What the bootstrap stack creates, for the layout table (it differs per backend and key provider). */
  bootstrapCreates: string;
  primaryRegion: string;
  regionNames: string[];
  /** The layout's README rows and first commands. */
  layout: LayoutReadme;
  /** What to export before the first plan: the pipelines' own variables (ciVariables), as placeholders. */
  credentials: ReturnType<typeof firstRunCredentials>;
  /** gcs: the state buckets to create by hand (nothing creates them), and where. */
  gcs?: { buckets: string[]; location: string };
  /** scaleway: the state buckets to create by hand (no bootstrap stack), the endpoint they live at, the credentials profile. */
  scaleway?: { buckets: string[]; endpoint: string; region: string; profile: string };
  /** OpenBao: the transit key and the policy of every environment that owns state. */
  openbao?: { env: string; key: string; policy: string }[];
  /** gcp_kms: the key ring and the crypto keys to create by hand. */
  gcpKms?: ReturnType<typeof gcpKmsSetup>;
  /** The layout has service stacks (add-service applies). */
  services: boolean;
  /** The README's CI setup: every setting each pipeline reads, per environment spelled out. */
  ciSetup: ReturnType<typeof ciSetup>;
  /** The package.json version of the Nx plugin: `file:` the shipped tarball, or the registry version. */
  plugin: string;
  /** --accounts: each state environment's account, the role assumed there, and bootstrap's own state home. */
  accounts?: { list: { env: string; id: string }[]; role: string; homeBucket: string; homeKmsAlias: string; shared: boolean; ci: boolean };
}

function repoData(spec: Spec, roots: RootPlan[], opts: RenderOptions): RepoData {
  return {
    spec,
    plugin: pluginDependency(spec, opts.pluginTarball),
    services: layoutOf(spec).services,
    ciSetup: ciSetup(spec, layoutOf(spec).stateEnvironments(spec)),
    roots: roots.map((r) => r.path),
    bootstrap: bootstrapNeeded(spec),
    bootstrapCreates: bootstrapCreates(spec),
    primaryRegion: spec.regions[0]!.name,
    regionNames: spec.regions.map((r) => r.name),
    layout: layoutOf(spec).readme(spec, (env) => runAs(spec, env)),
    credentials: firstRunCredentials(spec),
    gcs: spec.backend === 'gcs' ? { buckets: stateBuckets(spec, layoutOf(spec).stateEnvironments(spec)), location: GCS_BUCKET_LOCATION } : undefined,
    gcpKms: spec.keyProvider === 'gcp_kms' ? gcpKmsSetup(spec, layoutOf(spec).stateEnvironments(spec)) : undefined,
    scaleway:
      spec.backend === 'scaleway'
        ? {
            buckets: stateBuckets(spec, layoutOf(spec).stateEnvironments(spec)),
            endpoint: SCALEWAY_ENDPOINT,
            region: SCALEWAY_REGION,
            profile: SCALEWAY_PROFILE.name,
          }
        : undefined,
    openbao: spec.keyProvider === 'openbao' ? openbaoSetup(spec, layoutOf(spec).stateEnvironments(spec)) : undefined,
    accounts: accountsSetup(spec),
  };
}

function accountsSetup(spec: Spec): RepoData['accounts'] {
  if (spec.accounts === undefined) return undefined;
  const stateEnvs = layoutOf(spec).stateEnvironments(spec);
  return {
    list: stateEnvs.map((env) => ({ env, id: spec.accounts![env]! })),
    role: ACCOUNT_ROLE,
    ...bootstrapHome(spec),
    shared: stateEnvs.length > spec.envs.length,
    ci: spec.githubRepo !== undefined || spec.gitlabProject !== undefined,
  };
}

/** What bootstrap/ creates for this spec, in the words of the README's layout table. */
function bootstrapCreates(spec: Spec): string {
  if (!bootstrapNeeded(spec)) return '';
  return [
    'its own encrypted state home',
    ...(backendOf(spec).bootstrap ? ['the state buckets'] : []),
    ...(bootstrapLockTables(spec) ? ['lock tables'] : []),
    ...(keyProviderOf(spec.keyProvider).bootstrap ? ['a KMS key per environment'] : []),
    'CI policies and roles per environment',
  ].join(', ');
}

/** A first-run line in another environment's root takes that environment's secret from the variable its readers have (pbkdf2: shared's passphrase). */
function runAs(spec: Spec, env: string): string {
  const secret = keyProviderOf(spec.keyProvider).readSecret?.(env);
  return secret ? `export ${secret.own}="$${secret.variable.name}" && ` : '';
}
