import { resolveSpec, UsageError, type RawChoices, type Spec } from '../core.js';

/** A spec as the choices the CLI would have been given for it. */
function choicesOf(spec: Spec): RawChoices {
  return {
    name: spec.name,
    layout: spec.layout,
    envs: spec.envs.join(','),
    regions: spec.regions.map((r) => r.name).join(','),
    services: spec.layout === 'hybrid' ? spec.services.join(',') : undefined,
    modules: spec.modules.length > 0 ? spec.modules.join(',') : undefined,
    backend: spec.backend,
    lock: spec.backend === 's3' ? spec.lock : undefined,
    keyProvider: spec.keyProvider,
    ci: spec.ci.length > 0 ? spec.ci.join(',') : 'none',
  };
}

/**
 * What create-tofu-infra would refuse about this spec (bucket and key alias names too long,
 * reserved names...), checked by the CLI's own resolveSpec; empty when it is fine.
 */
export function specProblems(spec: Spec): string[] {
  try {
    resolveSpec(choicesOf(spec), { directoryName: spec.name, generatorVersion: spec.generatorVersion });
    return [];
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
}
