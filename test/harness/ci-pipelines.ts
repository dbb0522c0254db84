// Reading generated pipelines (GitLab matrix jobs expanded the way GitLab expands them) and finding
// the CI tools: actionlint (+ shellcheck), check-jsonschema (GitLab's CI schema) and gitlab-ci-local.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { loadTemplates, renderRepository, resolveSpec, textOf, type RawChoices, type Spec } from '../../packages/create-tofu-infra/src/index.js';
import { REPO } from './cli.js';
import { toolchain } from './toolchain.js';

export type Yaml = Record<string, any>;

export function specOf(choices: RawChoices): Spec {
  return resolveSpec({ name: 'acme', ...choices }, { directoryName: 'acme', generatorVersion: '0.1.0' });
}

/** The CI files of a spec, by path (pure render, no disk). */
export function ciFiles(spec: Spec): Map<string, string> {
  return new Map(
    renderRepository(spec, loadTemplates())
      .filter((f) => f.path === '.gitlab-ci.yml' || f.path.startsWith('.github/'))
      .map((f) => [f.path, textOf(f)]),
  );
}

export function yamlOf(text: string | undefined, what: string): Yaml {
  if (text === undefined) throw new Error(`${what} was not generated`);
  return parse(text) as Yaml;
}

/** GitLab's keywords that are not jobs; hidden jobs start with a dot. */
const GLOBAL_KEYS = new Set(['workflow', 'default', 'stages', 'variables', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** One job instance as GitLab creates it: a parallel:matrix job becomes one instance per combination. */
export interface JobInstance {
  name: string;
  job: string;
  matrix: Record<string, string>;
  def: Yaml;
}

function combinations(entry: Record<string, string | string[]>): Record<string, string>[] {
  return Object.entries(entry).reduce<Record<string, string>[]>(
    (acc, [k, v]) => acc.flatMap((c) => (Array.isArray(v) ? v : [v]).map((x) => ({ ...c, [k]: x }))),
    [{}],
  );
}

/** Every job instance of a .gitlab-ci.yml, `extends` merged (one level, in order, as the pipelines use it). */
export function gitlabJobs(doc: Yaml): JobInstance[] {
  return Object.entries(doc)
    .filter(([name]) => !GLOBAL_KEYS.has(name) && !name.startsWith('.'))
    .flatMap(([job, raw]) => {
      const parents = (raw.extends === undefined ? [] : Array.isArray(raw.extends) ? raw.extends : [raw.extends]).map((p: string) => doc[p] as Yaml);
      const variables = Object.assign({}, ...parents.map((p: Yaml) => p.variables ?? {}), raw.variables ?? {}) as Yaml;
      const def: Yaml = { ...Object.assign({}, ...parents), ...raw, variables };
      const matrix: Record<string, string | string[]>[] | undefined = def.parallel?.matrix;
      if (!matrix) return [{ name: job, job, matrix: {}, def }];
      return matrix.flatMap(combinations).map((m) => ({ name: `${job}: [${Object.values(m).join(', ')}]`, job, matrix: m, def }));
    });
}

/** `$VAR` references replaced by this instance's matrix values. */
export function expand(text: string, values: Record<string, string>): string {
  return text.replaceAll(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => values[name] ?? whole);
}

/** All script lines of a job, joined. */
export function scriptOf(def: Yaml): string {
  return [...(def.before_script ?? []), ...(def.script ?? []), ...(def.after_script ?? [])].join('\n');
}

// ---- tools ----------------------------------------------------------------------------------

interface CiToolchain {
  actionlint?: string;
  shellcheck?: string;
  checkJsonschema?: string;
}

function tool(key: keyof CiToolchain, envName: string, what: string): string {
  const fromToolchain = (toolchain() as unknown as CiToolchain)[key];
  const path = fromToolchain ?? process.env[envName];
  if (!path || !existsSync(path)) throw new Error(`${what} not found: run \`npm run toolchain\` (or set ${envName} to its path).`);
  return path;
}

export const actionlint = () => tool('actionlint', 'CTI_ACTIONLINT', 'actionlint');
export const shellcheck = () => tool('shellcheck', 'CTI_SHELLCHECK', 'shellcheck');
export const checkJsonschema = () => tool('checkJsonschema', 'CTI_CHECK_JSONSCHEMA', 'check-jsonschema');

/** gitlab-ci-local's entry point (npm devDependency; 4.74+ needs Node 22, hence the exact pin). */
export function gitlabCiLocal(): string {
  const candidates = [process.env.CTI_GITLAB_CI_LOCAL, join(REPO, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js')];
  const found = candidates.find((p): p is string => p !== undefined && existsSync(p));
  if (!found) throw new Error('gitlab-ci-local not found: it is a devDependency (npm ci), or set CTI_GITLAB_CI_LOCAL.');
  return found;
}

/** PATH with shellcheck first, so that actionlint checks every run: script with it. */
export function pathWithShellcheck(): string {
  return `${dirname(shellcheck())}:${process.env.PATH ?? ''}`;
}
