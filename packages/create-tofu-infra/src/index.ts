/**
 * The library behind create-tofu-infra, for the Nx plugin and tests: the spec and its checks, the
 * pure renderer, the manifest, regions and names, and the writers. The plugin takes every fact
 * from here, so the CLI and the generators cannot disagree.
 */
export { DEFAULTS, LOCKS, MODULES, type LockKind, type ModuleName } from './spec/options.js';
export type { EncryptionTransition, GeneratedFile, PluginTarball, RegionSpec, RenderOptions, RootPlan, Spec } from './spec/spec.js';
export { UsageError } from './spec/errors.js';
export { checkName, checkRegion, unknownRegion } from './spec/name-rules.js';
export { AWS_REGIONS } from './spec/aws-regions.js';
export { nextFreeCidr, regionSpecs, regionValue, REGIONS_FILE, type RegionSettings, type RegionValue } from './spec/regions.js';
export { projectNameOf } from './spec/project-name.js';
export { LAYOUTS, type Layout } from './features/layouts/index.js';
export { BACKENDS, type BackendKind } from './features/backends/index.js';
export { KEY_PROVIDERS, keyProviderOf, type KeyProviderKind } from './features/key-providers/index.js';
export { CI_TARGETS, isCiFile, type CiTarget } from './features/ci/index.js';
export { BOOTSTRAP_ENVIRONMENTS_FILE, bootstrapBucketAddresses, bootstrapEnvironment, RETIRED_ACCOUNTS_KEY } from './features/bootstrap.js';
export { isEncryptionFile } from './features/roots/encryption.js';
export { isProduction } from './features/roots/sizing.js';
export { layoutOf } from './features/layouts/index.js';
export { resolveSpec, specProblems, type RawChoices } from './repository/resolve.js';
export { ALLOW_UNKNOWN_REGION_FLAG, checkSpec, NAME_FORM, reservedEnvironment, type CheckOptions } from './repository/check.js';
export { renderRepository, rootsOf } from './repository/render.js';
export { ACCOUNTS_FORM, checkAccountId } from './spec/accounts.js';
export {
  accountsWithout,
  MANIFEST_FILE,
  manifestText,
  readManifest,
  withEnvironment,
  withKeyChange,
  withoutEnvironment,
  withoutRegion,
  withRegion,
  withService,
  type Manifest,
} from './repository/manifest.js';
export { jsonText, textOf } from './engine/files.js';
export { hasGeneratedSections, replaceGeneratedSections } from './engine/sections.js';
export { findTemplatesDir, loadTemplates, type Templates } from './engine/templates.js';
export { bundledPluginTarball } from './engine/plugin-tarball.js';
export { nextSteps, type NextStep } from './repository/next-steps.js';
export { PLUGIN_DIR, PLUGIN_PACKAGE } from './features/nx-plugin.js';
export { conflictError, inspectTarget, planWrite, writeRepository, type FileAction, type PlannedFile } from './write/disk.js';
export { validateRepository } from './validate/tofu.js';
export { mergeText, type ConflictStyle, type MergeResult } from './upgrade/merge.js';
export { changesOf, planUpgrade, type Action, type FilePlan, type Files } from './upgrade/plan.js';
export { prepareUpgrade, type PreparedUpgrade, type UpgradeRequest } from './upgrade/prepare.js';
export { reinitAdvice } from './upgrade/guards.js';
export { VERSION } from './version.js';
