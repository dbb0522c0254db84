/** The library behind create-tofu-infra: the spec, the pure renderer and the writers, for the Nx plugin and tests. */
export * from './spec/options.js';
export type { GeneratedFile, RegionSpec, Spec } from './spec/spec.js';
export { UsageError } from './spec/errors.js';
export { resolveSpec, regionSpecs, type RawChoices } from './spec/resolve.js';
export { checkBucketName, checkKmsAlias, checkName, checkRegion } from './spec/names.js';
export { naming } from './spec/naming.js';
export { renderRepository, rootsOf } from './render/repository.js';
export { encryptionFile, type EncryptionTransition } from './render/encryption.js';
export type { RenderOptions, RootPlan } from './features/types.js';
export { bootstrapEnvironment, bootstrapFiles, bootstrapNeeded, stateEnvironments } from './features/bootstrap.js';
export { loadTemplates, findTemplatesDir, type Templates } from './render/templates.js';
export { MANIFEST_FILE, manifestOf, type Manifest } from './render/manifest.js';
export { inspectTarget, writeRepository } from './write/disk.js';
export { validateRepository, findTofu } from './validate/tofu.js';
export { VERSION } from './version.js';
