import type { Templates } from '../engine/templates.js';
import { manifestText, MANIFEST_FILE, readManifest, type Manifest } from '../repository/manifest.js';
import { renderRepository, rootsOf } from '../repository/render.js';
import { UsageError } from '../spec/errors.js';
import type { GeneratedFile, PluginTarball, Spec } from '../spec/spec.js';
import { renderBase } from './base.js';
import { guardProblems, reinitRoots } from './guards.js';
import type { ConflictStyle } from './merge.js';
import { changesOf, planUpgrade, type FilePlan, type Files } from './plan.js';

export interface UpgradeRequest {
  /** tofu-infra.json, parsed (undefined when the file is missing). */
  manifestValue: unknown;
  /** A file of the repository as it is, or undefined when absent. */
  readOurs: (path: string) => string | undefined;
  /** The current templates and version: what the repository is upgraded to. */
  templates: Templates;
  version: string;
  /** Where the recorded version's CLI is (offline); default: npx create-tofu-infra@<recorded version>. */
  baseFrom?: string | undefined;
  /** Tests and callers that already hold the base (e.g. the Nx generators' render before). */
  base?: Files;
  conflictStyle?: ConflictStyle;
  /** The plugin tarball this version ships (bundledPluginTarball()); the repository installs it from then on. */
  pluginTarball?: PluginTarball | undefined;
}

export interface PreparedUpgrade {
  manifest: Manifest;
  /** Already rendered by this version's templates: nothing to do, no base needed. */
  upToDate: boolean;
  plan: FilePlan[];
  /**
   * Files of bytes (the packed Nx plugin): machine-owned, written as they are after the plan. An
   * older tarball the base has and this version does not is deleted by the plan like any dropped file.
   */
  binaries: GeneratedFile[];
  /** The manifest to write once the upgrade completed (the new version and fingerprint). */
  manifestText: string;
  /** Roots whose backend settings change (state stays where it is): `tofu init -reconfigure` there after the upgrade. */
  reinit: string[];
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

function newer(a: string, b: string): boolean {
  const [x, y] = [SEMVER.exec(a)!, SEMVER.exec(b)!];
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) > Number(y[i]);
  return false;
}

/** The manifest, checked for everything that makes an upgrade impossible or unsafe; throws UsageError. */
export function readUpgradable(value: unknown, version: string): { manifest: Manifest; spec: Spec } {
  if (value === undefined) {
    throw new UsageError([
      `no ${MANIFEST_FILE} here: this is not a repository made by create-tofu-infra. Run upgrade in one (create-tofu-infra upgrade <dir>).`,
    ]);
  }
  const read = readManifest(value);
  if ('problems' in read) throw new UsageError(read.problems);
  const recorded = read.manifest.generatorVersion;
  if (typeof recorded !== 'string' || !SEMVER.test(recorded)) {
    throw new UsageError([`${MANIFEST_FILE} records the generator version ${JSON.stringify(recorded)}, which is not a version (expected e.g. "0.1.0").`]);
  }
  if (newer(recorded, version)) {
    throw new UsageError([
      `${MANIFEST_FILE} was written by create-tofu-infra ${recorded}, newer than this one (${version}): run npx create-tofu-infra@latest upgrade.`,
    ]);
  }
  if (read.manifest.keyChange) {
    throw new UsageError([
      `a key change (${read.manifest.keyChange.kind}) is half done (${MANIFEST_FILE} has "keyChange"): apply every root, run npx nx g @create-tofu-infra/nx:key-change finish, then upgrade.`,
    ]);
  }
  return read;
}

/**
 * Everything upgrade decides before writing: the manifest checked, the new rendering, the base,
 * the guards on encryption and state location, and the plan of every file. Shared by the CLI
 * (create-tofu-infra upgrade) and the Nx generator; throws UsageError before any write.
 */
export function prepareUpgrade(req: UpgradeRequest): PreparedUpgrade {
  const { manifest, spec } = readUpgradable(req.manifestValue, req.version);
  const nextSpec: Spec = { ...spec, generatorVersion: req.version };
  const rendered = renderRepository(nextSpec, req.templates, { pluginTarball: req.pluginTarball });
  const binaries = rendered.filter((f) => typeof f.content !== 'string');
  const next: Files = new Map(rendered.flatMap((f): [string, string][] => (typeof f.content === 'string' ? [[f.path, f.content]] : [])));
  const upgraded: Manifest = { ...manifest, generatorVersion: req.version, templates: req.templates.fingerprint, roots: rootsOf(nextSpec).map((r) => r.path) };
  const text = manifestText(upgraded);
  const upToDate = manifest.generatorVersion === req.version && manifest.templates === req.templates.fingerprint;
  if (upToDate) return { manifest, upToDate, plan: [], binaries: [], manifestText: text, reinit: [] };

  const renderedBase = req.base ?? renderBase(manifest, req.baseFrom);
  // A tarball this version writes again is not the plan's to delete or merge (its bytes are not text).
  const base: Files = new Map([...renderedBase].filter(([path]) => !binaries.some((b) => b.path === path)));
  const problems = guardProblems(base, next);
  if (problems.length > 0) throw new UsageError(problems);
  const ours = new Map<string, string>();
  for (const path of new Set([...base.keys(), ...next.keys()])) {
    const content = req.readOurs(path);
    if (content !== undefined) ours.set(path, content);
  }
  const labels = { ours: 'yours', theirs: `create-tofu-infra ${req.version}` };
  const plan = planUpgrade(base, next, ours, { labels, conflictStyle: req.conflictStyle ?? 'markers' });
  // Only where the new backend settings land (a file you kept as yours keeps its settings).
  const written = new Set(plan.filter((f) => f.action === 'update' || f.action === 'merge' || f.action === 'conflict').map((f) => f.path));
  const reinit = reinitRoots(base, next).filter((root) => written.has(root === '.' ? 'backend.tf' : `${root}/backend.tf`));
  return { manifest, upToDate, plan, binaries, manifestText: text, reinit };
}

/**
 * `upgrade --continue`, after conflicts were resolved by hand: the files of the generated set that
 * still hold a conflict marker or a .rej sidecar (nothing is recorded then), and the manifest to
 * write once there are none. Needs no base: the merge already happened.
 */
export function continueUpgrade(req: Omit<UpgradeRequest, 'baseFrom' | 'base' | 'conflictStyle'>): { unresolved: string[]; manifestText: string } {
  const { manifest, spec } = readUpgradable(req.manifestValue, req.version);
  const nextSpec: Spec = { ...spec, generatorVersion: req.version };
  const paths = renderRepository(nextSpec, req.templates).map((f) => f.path);
  const unresolved = paths.filter((p) => /^<<<<<<< yours/m.test(req.readOurs(p) ?? '') || req.readOurs(`${p}.rej`) !== undefined);
  const upgraded: Manifest = { ...manifest, generatorVersion: req.version, templates: req.templates.fingerprint, roots: rootsOf(nextSpec).map((r) => r.path) };
  return { unresolved, manifestText: manifestText(upgraded) };
}

/** Whether the manifest still has to be rewritten (a version or fingerprint behind). */
export function manifestBehind(prepared: PreparedUpgrade, readOurs: (path: string) => string | undefined): boolean {
  return readOurs(MANIFEST_FILE) !== prepared.manifestText;
}

export { changesOf };
