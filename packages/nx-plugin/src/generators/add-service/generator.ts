import type { GeneratorCallback, Tree } from '@nx/devkit';
import { projectNameOf, withService } from '../../core.js';
import { formatWithTofu, hclDirectories } from '../../repo/format.js';
import { log } from '../../repo/log.js';
import { updateCiFiles, updateGeneratedSections } from '../../repo/machine-owned.js';
import { writeAdded } from '../../repo/render.js';
import { writeManifest } from '../../repo/repository.js';
import { normalizeOptions } from './normalize-options.js';
import type { AddServiceSchema, NormalizedAddService } from './schema.js';

/**
 * nx g add-service <name> (hybrid layout): the service's stack, one root per environment with the
 * environment's backend and key, its CI jobs, README sections and manifest entry, rendered by the
 * create-tofu-infra core; then tofu fmt.
 */
export async function addServiceGenerator(tree: Tree, schema: AddServiceSchema): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema);
  const written = [
    ...writeAdded(tree, options.before, options.after),
    ...updateCiFiles(tree, options.before, options.after),
    ...updateGeneratedSections(tree, options.after),
    ...writeManifest(
      tree,
      withService(
        options.repo.manifest,
        options.service,
        options.newRoots.map((r) => r.path),
      ),
    ),
  ];
  printNextSteps(options);
  return formatWithTofu(tree.root, hclDirectories(written));
}

function printNextSteps(o: NormalizedAddService): void {
  log.info(`Service "${o.service}": ${o.newRoots.map((r) => r.path).join(', ')}.`);
  log.info(['Next: plan each of them:', ...o.newRoots.map((r) => `  npx nx run ${projectNameOf(r.path)}:plan`)].join('\n'));
}
