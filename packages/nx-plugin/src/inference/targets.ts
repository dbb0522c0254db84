import type { TargetConfiguration } from '@nx/devkit';

/** The plugin options every target builder needs, with their defaults filled in. */
export interface TargetSettings {
  fmtTargetName: string;
  validateTargetName: string;
  planTargetName: string;
  applyTargetName: string;
  testTargetName: string;
  tofu: string;
}

// What a tofu command's result depends on. The tofu version is part of it (a new tofu may
// format or validate differently); .terraform/, lock files, state and plans are gitignored and
// so never part of Nx's file set.
const OWN_FILES = ['{projectRoot}/**/*.tf', '{projectRoot}/**/*.tofu', '{projectRoot}/**/*.tfvars', '{projectRoot}/**/*.tfvars.json'];
const MODULE_FILES = [
  { fileset: '{projectRoot}/**/*.tf', dependencies: true },
  { fileset: '{projectRoot}/**/*.tofu', dependencies: true },
];

function run(root: string, commands: string[], description: string): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: { cwd: root, commands, parallel: false },
    metadata: { description, technologies: ['opentofu'] },
  };
}

/** `tofu fmt -check`: cached, it only reads. */
function fmtTarget(root: string, s: TargetSettings): TargetConfiguration {
  return {
    ...run(root, [`${s.tofu} fmt -check -diff -recursive -no-color`], 'Check formatting (tofu fmt -check); rewrite with tofu fmt -recursive'),
    cache: true,
    inputs: [...OWN_FILES, { runtime: `${s.tofu} version` }],
    outputs: [],
  };
}

/** `tofu init -backend=false` + `validate`: no credentials, cached on the root's and its modules' files and the tofu version. */
function validateTarget(root: string, s: TargetSettings): TargetConfiguration {
  return {
    ...run(
      root,
      [`${s.tofu} init -backend=false -input=false -no-color`, `${s.tofu} validate -no-color`],
      'Validate without a backend (tofu init -backend=false, tofu validate)',
    ),
    cache: true,
    inputs: [...OWN_FILES, ...MODULE_FILES, { runtime: `${s.tofu} version` }],
    outputs: [],
  };
}

/**
 * `plan` writes a plan file and `apply` applies exactly that file: both touch real
 * infrastructure and state, so neither is cached, and applies never run side by side.
 * A workspace-layout root gets one configuration per environment: nx run infra:plan:dev.
 */
function planApplyTargets(root: string, s: TargetSettings, workspaces: string[]): Record<string, TargetConfiguration> {
  const init = `${s.tofu} init -input=false`;
  const plan = run(root, [init, `${s.tofu} plan -input=false -out=plan.tfplan`], 'Plan into plan.tfplan (needs credentials and the backend)');
  const apply = run(root, [init, `${s.tofu} apply -input=false plan.tfplan`], 'Apply plan.tfplan written by the plan target');
  if (workspaces.length > 0) {
    const choose = (target: string) => [
      `echo "Choose an environment: npx nx run <project>:${target}:<env> with <env> one of ${workspaces.join(', ')}" >&2 && exit 1`,
    ];
    plan.options = { ...plan.options, commands: choose(s.planTargetName) };
    apply.options = { ...apply.options, commands: choose(s.applyTargetName) };
    plan.configurations = Object.fromEntries(
      workspaces.map((env) => [
        env,
        {
          commands: [
            init,
            `${s.tofu} workspace select -or-create ${env}`,
            `${s.tofu} plan -input=false -var-file=environments/${env}.tfvars -out=${env}.tfplan`,
          ],
        },
      ]),
    );
    apply.configurations = Object.fromEntries(
      workspaces.map((env) => [env, { commands: [init, `${s.tofu} workspace select ${env}`, `${s.tofu} apply -input=false ${env}.tfplan`] }]),
    );
  }
  return {
    [s.planTargetName]: { ...plan, cache: false },
    [s.applyTargetName]: { ...apply, cache: false, parallelism: false },
  };
}

export function rootTargets(root: string, s: TargetSettings, workspaces: string[]): Record<string, TargetConfiguration> {
  return {
    [s.fmtTargetName]: fmtTarget(root, s),
    [s.validateTargetName]: validateTarget(root, s),
    ...planApplyTargets(root, s, workspaces),
  };
}

/**
 * `tofu init -backend=false` + `tofu test`: the module's tests/*.tftest.hcl against mocked
 * providers, so no credentials and nothing created. Cached on the module's files, its tests, the
 * modules it calls and the tofu version.
 */
export function testTarget(root: string, s: TargetSettings): TargetConfiguration {
  return {
    ...run(root, [`${s.tofu} init -backend=false -input=false -no-color`, `${s.tofu} test -no-color`], 'Run the module tests (tofu test, mocked providers)'),
    cache: true,
    inputs: [...OWN_FILES, '{projectRoot}/**/*.tftest.hcl', ...MODULE_FILES, { runtime: `${s.tofu} version` }],
    outputs: [],
  };
}

/**
 * Modules are checked for formatting, and tested when they carry tofu tests; they are validated
 * through the roots that call them.
 */
export function moduleTargets(root: string, s: TargetSettings, hasTests: boolean): Record<string, TargetConfiguration> {
  return { [s.fmtTargetName]: fmtTarget(root, s), ...(hasTests ? { [s.testTargetName]: testTarget(root, s) } : {}) };
}
