import { DEFAULTS, REQUIRED_TOFU } from '../../spec/options.js';
import { projectNameOf } from '../../spec/project-name.js';
import type { RootPlan, Spec } from '../../spec/spec.js';
import { keyProviderOf } from '../key-providers/index.js';
import { ciCredentials, envKey } from './credentials.js';
import { globToRegex } from './globs.js';

/**
 * Pinned CI versions, the one place both pipelines take them from. The tofu version is the one
 * the tests build (toolchain/pins.json); action majors are the newest actionlint knows.
 */
export const CI_PINS = {
  tofuVersion: '1.12.6',
  /** Runs tofu and a POSIX shell; `entrypoint: [""]` because the image's entrypoint is tofu. */
  tofuImage: 'ghcr.io/opentofu/opentofu:1.12.6',
  runner: 'ubuntu-24.04',
  checkoutAction: 'actions/checkout@v6',
  setupOpentofuAction: 'opentofu/setup-opentofu@v1',
  uploadArtifactAction: 'actions/upload-artifact@v7',
  downloadArtifactAction: 'actions/download-artifact@v8',
  awsCredentialsAction: 'aws-actions/configure-aws-credentials@v6',
  /** The linters, the versions this project's tests run (toolchain/pins.json); entrypoints are the tools, so `entrypoint: [""]`. */
  tflintVersion: 'v0.64.0',
  tflintImage: 'ghcr.io/terraform-linters/tflint:v0.64.0',
  setupTflintAction: 'terraform-linters/setup-tflint@v4',
  checkovVersion: '3.3.30',
  checkovImage: 'bridgecrew/checkov:3.3.30',
  /** Runs npx for the informational `create-tofu-infra upgrade --check` job. */
  nodeImage: 'node:22-alpine',
} as const;

/** The platforms the lock job records provider hashes for: CI runners and the usual workstations. */
export const LOCK_PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'] as const;

/** How long a saved plan stays downloadable: long enough to review and approve, short enough not to pile up. */
export const PLAN_RETENTION = { gitlab: '1 week', githubDays: 7 } as const;

/** When the scheduled drift check runs on GitHub (GitLab schedules are set in the project, see the pipeline header). */
const DRIFT_CRON = '17 5 * * 1-5';

/** Variables of a GitLab parallel:matrix fan-out, in this order. */
const MATRIX_ENV = 'TOFU_ENV';
const MATRIX_SERVICE = 'TOFU_SERVICE';

/** One root planned in one environment: a plan job, an apply job and a drift check. */
export interface PlanTarget {
  /** Unique, path-safe: nx project name style (environments-dev, infra-dev). */
  id: string;
  /** GitLab / GitHub environment name: protection and environment-scoped settings hang on it. */
  environment: string;
  root: string;
  /** The workspace of the workspace layout ('' elsewhere): selected (or created) after init, it also picks the key. */
  workspace: string;
  /** -var-file, relative to the root ('' when none). */
  varFile: string;
  /** The saved plan, relative to the root (the same names the Nx plan target writes). */
  planFile: string;
  /** Values of the fan-out's matrix variables for this target, e.g. { TOFU_ENV: 'dev' }. */
  matrix: Record<string, string>;
  /** GitLab `rules:if` selecting this target inside its fan-out: $TOFU_ENV == "dev". */
  matrixIf: string;
  /** Files whose change makes this target worth planning (globs, rules:changes syntax), without the pipeline file itself. */
  changes: string[];
  /** Upper-case suffix of this environment's per-environment GitHub variables and secrets (PRE_PROD). */
  key: string;
}

/** Targets sharing one root path pattern: one GitLab job definition fanned out with parallel:matrix. */
export interface Fanout {
  /** Job name suffix: plan:environments, apply:services, ... */
  name: string;
  /** Root with the matrix variables in it: environments/$TOFU_ENV. */
  root: string;
  workspace: string;
  varFile: string;
  planFile: string;
  matrix: { name: string; values: string[] }[];
  targets: PlanTarget[];
}

/** The pattern a root's path follows in its fan-out: services/app/envs/dev -> services/$TOFU_SERVICE/envs/$TOFU_ENV. */
function rootPattern(root: RootPlan): string {
  const parts = root.path.split('/');
  if (root.kind === 'workspace') return root.path;
  if (parts[parts.length - 1] === root.stateEnv && root.kind !== 'shared') parts[parts.length - 1] = `$${MATRIX_ENV}`;
  // services/<svc>/envs/<env>: the service is the second segment, whatever its name.
  if (root.service !== undefined) parts[parts.indexOf(root.service, 1)] = `$${MATRIX_SERVICE}`;
  return parts.join('/');
}

/** The inverse of rootPattern, to check that every root comes back from its pattern and matrix values. */
function expandPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replaceAll(/\$([A-Z_]+)/g, (whole, name: string) => values[name] ?? whole);
}

/** What a root's plan depends on: its own files, the modules it calls, and per environment its values. */
function changesOf(root: RootPlan, env: string): string[] {
  if (root.kind === 'workspace') {
    // Top-level files change every environment; environments/<env>.tfvars only its own.
    return [`${root.path}/*`, `${root.path}/environments/${env}.tfvars`, 'modules/**/*'];
  }
  return [`${root.path}/**/*`, ...(root.service ? [`services/${root.service}/modules/**/*`] : []), 'modules/**/*'];
}

function targetsOf(spec: Spec, root: RootPlan): PlanTarget[] {
  const envs = root.kind === 'workspace' ? spec.envs : [root.stateEnv ?? 'shared'];
  return envs.map((env) => {
    const matrix: Record<string, string> = { ...(root.service ? { [MATRIX_SERVICE]: root.service } : {}), [MATRIX_ENV]: env };
    return {
      id: root.kind === 'workspace' ? `${projectNameOf(root.path)}-${env}` : projectNameOf(root.path),
      environment: env,
      root: root.path,
      workspace: root.kind === 'workspace' ? env : '',
      varFile: root.kind === 'workspace' ? `environments/${env}.tfvars` : '',
      planFile: root.kind === 'workspace' ? `${env}.tfplan` : 'plan.tfplan',
      matrix,
      matrixIf: Object.entries(matrix)
        .map(([k, v]) => `$${k} == "${v}"`)
        .join(' && '),
      changes: changesOf(root, env),
      key: envKey(env),
    };
  });
}

/** Groups planned roots by path pattern; each group's matrix must be the full product of its values (GitLab expands it so). */
function fanoutsOf(spec: Spec, roots: RootPlan[]): Fanout[] {
  const groups = new Map<string, { roots: RootPlan[] }>();
  for (const root of roots.filter((r) => r.kind !== 'bootstrap')) {
    const pattern = rootPattern(root);
    groups.set(pattern, { roots: [...(groups.get(pattern)?.roots ?? []), root] });
  }
  return [...groups].map(([pattern, group]) => {
    const targets = group.roots.flatMap((r) => targetsOf(spec, r));
    for (const t of targets) {
      if (expandPattern(pattern, t.matrix) !== t.root) throw new Error(`internal error: ${t.root} does not follow ${pattern}`);
    }
    const names = Object.keys(targets[0]!.matrix);
    const matrix = names.map((name) => ({ name, values: [...new Set(targets.map((t) => t.matrix[name]!))] }));
    const product = matrix.reduce((n, m) => n * m.values.length, 1);
    if (product !== targets.length) throw new Error(`internal error: the roots under ${pattern} do not form a full matrix`);
    const workspaceLayout = targets[0]!.workspace !== '';
    return {
      name: pattern.split('/')[0]!,
      root: pattern,
      workspace: workspaceLayout ? `$${MATRIX_ENV}` : '',
      varFile: workspaceLayout ? `environments/$${MATRIX_ENV}.tfvars` : '',
      planFile: workspaceLayout ? `$${MATRIX_ENV}.tfplan` : 'plan.tfplan',
      matrix,
      targets,
    };
  });
}

/** Template data shared by every CI target: the roots to validate, the fan-outs to plan, the credentials they need. */
export function ciData(spec: Spec, roots: RootPlan[]) {
  const fanouts = fanoutsOf(spec, roots);
  const targets = fanouts.flatMap((f) => f.targets);
  return {
    pins: CI_PINS,
    planRetention: PLAN_RETENTION,
    driftCron: DRIFT_CRON,
    requiredTofu: REQUIRED_TOFU,
    layout: spec.layout,
    /** The workspace layout's jobs init in the default workspace, then select (or create) theirs. */
    workspaceLayout: targets.some((t) => t.workspace !== ''),
    /** The audience GitLab ID tokens carry: the issuer the GitLab roles trust (bootstrap's gitlab_host). */
    gitlabAudience: `https://${spec.gitlabHost ?? DEFAULTS.gitlabHost}`,
    /** Platforms `tofu providers lock` records hashes for (the lock job). */
    lockPlatforms: LOCK_PLATFORMS,
    primaryRegion: spec.regions[0]!.name,
    roots: roots.map((r) => r.path),
    /** Modules with tofu tests (tests/*.tftest.hcl): every module the spec copies. */
    testedModules: spec.modules.map((m) => `modules/${m}`),
    fanouts,
    targets,
    environments: [...new Set(targets.map((t) => t.environment))],
    environmentKeys: [...new Map(targets.map((t) => [t.environment, { environment: t.environment, key: t.key }])).values()],
    credentials: ciCredentials(spec),
    encrypted: keyProviderOf(spec.keyProvider).type !== undefined,
    /** --accounts: jobs set TF_VAR_account_role_name to the role they assumed (it trusts itself). */
    accounts: spec.accounts !== undefined,
    /** The affected-roots selection of GitHub: rules:changes globs as one anchored regex per target. */
    githubTargets: targets.map((t) => {
      const entry = { id: t.id, environment: t.environment, root: t.root, workspace: t.workspace, varFile: t.varFile, planFile: t.planFile, key: t.key };
      // One line of JSON per target in the workflow; `changes` only matters to the selection step.
      return { ...entry, json: JSON.stringify({ ...entry, changes: globToRegex([...t.changes, '.github/**/*']) }) };
    }),
  };
}
