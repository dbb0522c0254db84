import type { Tree } from '@nx/devkit';
import { checkName, checkSpec, layoutOf, MANIFEST_FILE, NAME_FORM, rootsOf, type Spec } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { addedPaths, render } from '../../repo/render.js';
import { readRepository, type Repository } from '../../repo/repository.js';
import type { AddServiceSchema, NormalizedAddService } from './schema.js';

function nameProblems(repo: Repository, service: string): string[] {
  const { layout, services } = repo.spec;
  if (!layoutOf(repo.spec).services) {
    return [
      `add-service applies to the hybrid layout only (services/<service>/envs/<env>); this repository's layout is "${layout}". Add an environment or a region instead.`,
    ];
  }
  const invalid = checkName('service', service);
  if (invalid) return [`${invalid}. ${NAME_FORM} (e.g. billing, web-api).`];
  if (services.includes(service)) return [`Service "${service}" already exists (${MANIFEST_FILE} lists ${services.join(', ')}). Pick a new name.`];
  return [];
}

/** Checks the name against the repository and renders it before and after; throws before any write. */
export function normalizeOptions(tree: Tree, schema: AddServiceSchema): NormalizedAddService {
  const repo = readRepository(tree);
  const service = (schema.name ?? '').trim();
  const problems = nameProblems(repo, service);
  if (problems.length > 0) throw new GeneratorError(problems);

  const spec: Spec = { ...repo.spec, services: [...repo.spec.services, service] };
  const refused = checkSpec(spec, { acceptedRegions: repo.spec.regions.map((r) => r.name) });
  if (refused.length > 0) throw new GeneratorError(refused.map((p) => `Cannot add service "${service}": ${p}`));

  const before = render(repo.spec);
  const after = render(spec);
  const clashes = addedPaths(before, after).filter((path) => tree.exists(path));
  if (clashes.length > 0) {
    throw new GeneratorError([
      `Cannot add service "${service}": these files already exist though ${MANIFEST_FILE} does not list "${service}": ${clashes.join(', ')}. Move them away or pick another name.`,
    ]);
  }
  const newRoots = rootsOf(spec).filter((root) => root.service === service);
  return { repo, service, spec, before, after, newRoots };
}
