import type { Tree } from '@nx/devkit';
import { accountsWithout, BOOTSTRAP_ENVIRONMENTS_FILE, checkName, checkSpec, isProduction, MANIFEST_FILE, NAME_FORM, type Spec } from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { isObject, readJson, valueAt } from '../../repo/json.js';
import { readSettings, regionsMaps } from '../../repo/regions.js';
import { render } from '../../repo/render.js';
import { readRepository, type Repository } from '../../repo/repository.js';
import type { NormalizedRemoveEnvironment, RemoveEnvironmentSchema } from './schema.js';

function nameProblems(repo: Repository, env: string, production: boolean): string[] {
  const { envs } = repo.spec;
  const invalid = checkName('environment', env);
  if (invalid) return [`${invalid}. ${NAME_FORM}; name one of this repository's environments: ${envs.join(', ')}.`];
  if (!envs.includes(env)) return [`Environment "${env}" is not in ${MANIFEST_FILE}. Environments: ${envs.join(', ')}.`];
  if (envs.length === 1) return [`"${env}" is the only environment: a repository needs at least one. Add another first (npx nx g add-environment <name>).`];
  if (isProduction(env) && !production) {
    return [`"${env}" is a production environment: removing it destroys production. If that is what you want, run it again with --production.`];
  }
  return [];
}

/** The environment's state bucket in bootstrap's entries, unless another environment's entry names it too. */
function ownBucket(tree: Tree, env: string): string | undefined {
  if (!tree.exists(BOOTSTRAP_ENVIRONMENTS_FILE)) return undefined;
  const environments = valueAt(readJson(tree, BOOTSTRAP_ENVIRONMENTS_FILE), ['environments']);
  if (!isObject(environments)) return undefined;
  const bucketOf = (name: string) => valueAt(environments, [name, 'bucket']);
  const bucket = bucketOf(env);
  if (typeof bucket !== 'string') return undefined;
  return Object.keys(environments).some((other) => other !== env && bucketOf(other) === bucket) ? undefined : bucket;
}

/** Checks that the environment can go (known, not the last, production only when said, regions disabled before --drop); throws before any write. */
export function normalizeOptions(tree: Tree, schema: RemoveEnvironmentSchema): NormalizedRemoveEnvironment {
  const repo = readRepository(tree);
  const env = (schema.name ?? '').trim();
  const drop = schema.drop === true;
  const problems = nameProblems(repo, env, schema.production === true);
  if (problems.length > 0) throw new GeneratorError(problems);

  const spec: Spec = { ...repo.spec, envs: repo.spec.envs.filter((e) => e !== env), ...accountsWithout(repo.spec.accounts, env) };
  const refused = checkSpec(spec, { acceptedRegions: repo.spec.regions.map((r) => r.name) });
  if (refused.length > 0) throw new GeneratorError(refused.map((p) => `Cannot remove environment "${env}": ${p}`));

  const roots = repo.roots.filter((r) => r.stateEnv === env && r.kind !== 'workspace');
  const maps = regionsMaps(tree, repo).filter((m) => m.env === env);
  const enabled = maps.filter((m) => Object.values(readSettings(tree, m).regions).some((r) => r.enabled !== false));
  if (drop && enabled.length > 0) {
    throw new GeneratorError([
      `"${env}" still has enabled regions in ${enabled.map((m) => m.root.path).join(', ')}: dropping it now would leave its resources running with no code. Run \`npx nx g remove-environment ${env}\` first, apply, then run --drop.`,
    ]);
  }
  return {
    repo,
    env,
    drop,
    spec,
    before: render(repo.spec),
    after: render(spec),
    roots,
    maps,
    account: repo.spec.accounts?.[env],
    bucket: ownBucket(tree, env),
  };
}
