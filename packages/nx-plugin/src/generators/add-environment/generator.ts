import type { GeneratorCallback, Tree } from '@nx/devkit';
import { BOOTSTRAP_ENVIRONMENTS_FILE, projectNameOf } from '../../core.js';
import { formatWithTofu, hclDirectories } from '../../repo/format.js';
import { log } from '../../repo/log.js';
import { updateCiFiles, updateGeneratedSections } from '../../repo/machine-owned.js';
import { addFiles } from './add-files.js';
import { normalizeOptions } from './normalize-options.js';
import type { AddEnvironmentSchema, NormalizedAddEnvironment } from './schema.js';
import { updateBootstrap, updateManifest, updateWorkspaceRegions } from './update-files.js';

/**
 * nx g add-environment <name> [--from <env>]: the environment's roots (or tfvars), its bootstrap
 * entry, CI jobs and manifest entry, rendered by the create-tofu-infra core; then tofu fmt.
 */
export async function addEnvironmentGenerator(tree: Tree, schema: AddEnvironmentSchema): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema);
  const written = [
    ...addFiles(tree, options),
    ...updateBootstrap(tree, options),
    ...updateWorkspaceRegions(tree, options),
    ...updateManifest(tree, options),
    ...updateCiFiles(tree, options.before, options.after),
    ...updateGeneratedSections(tree, options.after),
  ];
  printNextSteps(options, written);
  return formatWithTofu(tree.root, hclDirectories(written));
}

function printNextSteps(o: NormalizedAddEnvironment, written: string[]): void {
  const where = o.newRoots.length > 0 ? o.newRoots.map((r) => r.path).join(', ') : `workspace "${o.env}" of infra/`;
  log.info(`Environment "${o.env}"${o.from ? ` (copied from "${o.from}")` : ''}: ${where}.`);
  const steps: string[] = [];
  if (written.includes(BOOTSTRAP_ENVIRONMENTS_FILE))
    steps.push(`apply bootstrap/ to create its state bucket, key and CI policy: npx nx run bootstrap:plan && npx nx run bootstrap:apply`);
  for (const root of o.newRoots) steps.push(`plan it: npx nx run ${projectNameOf(root.path)}:plan`);
  const workspaceRoot = o.repo.roots.find((r) => r.kind === 'workspace');
  if (workspaceRoot) steps.push(`plan it: npx nx run ${projectNameOf(workspaceRoot.path)}:plan:${o.env}`);
  log.info(['Next:', ...steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n'));
}
