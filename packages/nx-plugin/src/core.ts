// The create-tofu-infra core, compiled into dist/generators.cjs from its sources by build.mjs:
// generators render through the same code and templates as the CLI, never a copy of them.
export {
  checkName,
  checkRegion,
  LAYOUTS,
  loadTemplates,
  MANIFEST_FILE,
  renderRepository,
  resolveSpec,
  rootsOf,
  UsageError,
  type EncryptionTransition,
  type GeneratedFile,
  type KeyProviderKind,
  type RenderOptions,
  type Manifest,
  type RawChoices,
  type Spec,
  type Templates,
} from '../../create-tofu-infra/src/index.js';
import type { rootsOf } from '../../create-tofu-infra/src/index.js';

/** One OpenTofu root of a repository, as the core plans it (path, kind, environment). */
export type RootPlan = ReturnType<typeof rootsOf>[number];
