import type { Tree } from '@nx/devkit';
import {
  BOOTSTRAP_ENVIRONMENTS_FILE,
  checkAccountId,
  checkName,
  checkSpec,
  MANIFEST_FILE,
  NAME_FORM,
  reservedEnvironment,
  RETIRED_ACCOUNTS_KEY,
  rootsOf,
  type Spec,
} from '../../core.js';
import { GeneratorError } from '../../repo/errors.js';
import { readJson, valueAt } from '../../repo/json.js';
import { addedPaths, render } from '../../repo/render.js';
import { readRepository, type Repository } from '../../repo/repository.js';
import type { AddEnvironmentSchema, NormalizedAddEnvironment } from './schema.js';

function nameProblems(repo: Repository, env: string, from: string | undefined): string[] {
  const { envs, layout } = repo.spec;
  const invalid = checkName('environment', env);
  if (invalid) return [`${invalid}. ${NAME_FORM} (e.g. qa, staging-eu).`];
  const problems: string[] = [];
  if (envs.includes(env)) problems.push(`Environment "${env}" already exists (${MANIFEST_FILE} lists ${envs.join(', ')}). Pick a new name.`);
  const reserved = reservedEnvironment({ layout }, env);
  if (reserved) problems.push(`${reserved}. Pick another name (e.g. qa).`);
  if (from === '')
    problems.push(
      `--from is empty. Name the environment to copy (--from ${envs[0]}), or leave --from out to render it from the templates. Environments: ${envs.join(', ')}.`,
    );
  else if (from !== undefined && !envs.includes(from)) {
    problems.push(`--from "${from}" is not an environment of this repository. Environments: ${envs.join(', ')}.`);
  }
  return problems;
}

/** --account: required where the repository keeps each environment in its own account (--accounts), refused elsewhere, and the retired one for an environment dropped but not yet destroyed. */
function accountProblems(tree: Tree, repo: Repository, env: string, account: string | undefined): string[] {
  if (repo.spec.accounts === undefined) {
    return account === undefined
      ? []
      : [
          `--account only applies to a repository made with --accounts (${MANIFEST_FILE} has no "accounts"): every environment here uses the caller's one account. Drop --account.`,
        ];
  }
  if (account === undefined || account === '') {
    return [
      `This repository keeps each environment in its own AWS account (${MANIFEST_FILE} "accounts": ${Object.entries(repo.spec.accounts)
        .map(([e, id]) => `${e}=${id}`)
        .join(', ')}): pass the account of "${env}" with --account (e.g. nx g add-environment ${env} --account 333333333333).`,
    ];
  }
  const invalid = checkAccountId(account);
  if (invalid) return [`--account ${invalid}.`];
  const retired = retiredAccount(tree, env);
  if (retired !== undefined && retired !== account) {
    return [
      `"${env}" was dropped from account ${retired} and bootstrap may still hold what it created there (${BOOTSTRAP_ENVIRONMENTS_FILE} "${RETIRED_ACCOUNTS_KEY}"): add it back in that account (--account ${retired}), or first apply bootstrap/ and remove "${env}" from "${RETIRED_ACCOUNTS_KEY}".`,
    ];
  }
  return [];
}

/** The account of a dropped environment bootstrap still keeps (remove-environment --drop with --accounts). */
function retiredAccount(tree: Tree, env: string): string | undefined {
  if (!tree.exists(BOOTSTRAP_ENVIRONMENTS_FILE)) return undefined;
  const account = valueAt(readJson(tree, BOOTSTRAP_ENVIRONMENTS_FILE), [RETIRED_ACCOUNTS_KEY, env]);
  return typeof account === 'string' ? account : undefined;
}

/** Checks the name against the repository and renders it before and after; throws before any write. */
export function normalizeOptions(tree: Tree, schema: AddEnvironmentSchema): NormalizedAddEnvironment {
  const repo = readRepository(tree);
  const env = (schema.name ?? '').trim();
  const from = schema.from?.trim();
  const account = schema.account?.trim();
  const problems = [...nameProblems(repo, env, from), ...accountProblems(tree, repo, env, account)];
  if (problems.length > 0) throw new GeneratorError(problems);

  const accounts = repo.spec.accounts && account !== undefined ? { accounts: { ...repo.spec.accounts, [env]: account } } : {};
  const spec: Spec = { ...repo.spec, envs: [...repo.spec.envs, env], ...accounts };
  const refused = checkSpec(spec, { acceptedRegions: repo.spec.regions.map((r) => r.name) });
  if (refused.length > 0) throw new GeneratorError(refused.map((p) => `Cannot add environment "${env}": ${p}`));

  const before = render(repo.spec);
  const after = render(spec);
  const clashes = addedPaths(before, after).filter((path) => tree.exists(path));
  if (clashes.length > 0) {
    throw new GeneratorError([
      `Cannot add environment "${env}": these files already exist though ${MANIFEST_FILE} does not list "${env}": ${clashes.join(', ')}. Move them away or pick another name.`,
    ]);
  }
  const newRoots = rootsOf(spec).filter((root) => root.stateEnv === env);
  return { repo, env, from, account, spec, before, after, newRoots };
}
