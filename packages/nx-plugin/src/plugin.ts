import type { CreateDependencies, CreateNodesResultV2, CreateNodesV2, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
// The one file of the core the inference loads: project names, shared with the generators and CI jobs.
import { projectNameOf } from '../../create-tofu-infra/src/spec/project-name.js';
import { calledDirectories, CONFIGURATION_FILE, hasTests, isModule, moduleCalls, scanTofuDirectories, workspaceEnvironments } from './inference/scan.js';
import { moduleTargets, rootTargets, type TargetSettings } from './inference/targets.js';

/** Options of the plugin in nx.json: `{ "plugin": "@create-tofu-infra/nx", "options": { ... } }`. */
export interface TofuPluginOptions {
  /** Name of the target running `tofu fmt -check` (cached). Default: "fmt". */
  fmtTargetName?: string;
  /** Name of the target running `tofu init -backend=false` + `tofu validate` (cached). Default: "validate". */
  validateTargetName?: string;
  /** Name of the target writing plan.tfplan (never cached). Default: "plan". */
  planTargetName?: string;
  /** Name of the target applying plan.tfplan (never cached, never in parallel). Default: "apply". */
  applyTargetName?: string;
  /** Name of the target running `tofu test` in modules that have tests (cached). Default: "test". */
  testTargetName?: string;
  /** The tofu command targets run. Default: "tofu" (from PATH). */
  tofuCommand?: string;
}

/**
 * The files the plugin reads: .tf and .tofu make a directory an OpenTofu directory, a
 * workspace-layout root's environments/<env>.tfvars give its plan/apply configurations, and a
 * module's tests/*.tftest.hcl give it a test target.
 */
export const TOFU_FILES_GLOB = '**/*.{tf,tofu,tfvars,tftest.hcl}';

function settingsOf(options: TofuPluginOptions | undefined): TargetSettings {
  return {
    fmtTargetName: options?.fmtTargetName ?? 'fmt',
    validateTargetName: options?.validateTargetName ?? 'validate',
    planTargetName: options?.planTargetName ?? 'plan',
    applyTargetName: options?.applyTargetName ?? 'apply',
    testTargetName: options?.testTargetName ?? 'test',
    tofu: options?.tofuCommand ?? 'tofu',
  };
}

/**
 * Every OpenTofu root becomes a project named from its path (environments/dev ->
 * environments-dev) with fmt, validate, plan and apply targets; every module becomes a project
 * with fmt (and test when it has tofu tests), so that `nx affected` can follow module changes to the roots that call them.
 */
export const createNodesV2: CreateNodesV2<TofuPluginOptions> = [
  TOFU_FILES_GLOB,
  (files, options, context): CreateNodesResultV2 => {
    const settings = settingsOf(options);
    const dirs = scanTofuDirectories(context.workspaceRoot, files);
    const called = calledDirectories(dirs);
    return [...dirs.values()].map((dir) => {
      const module = isModule(dir, called);
      const project = {
        root: dir.path,
        name: projectNameOf(dir.path),
        projectType: module ? ('library' as const) : ('application' as const),
        tags: ['opentofu', module ? 'opentofu:module' : 'opentofu:root'],
        metadata: { technologies: ['opentofu'] },
        targets: module
          ? moduleTargets(dir.path, settings, hasTests(dir.path, files))
          : rootTargets(dir.path, settings, workspaceEnvironments(dir.path, files)),
      };
      return [dir.files[0]!, { projects: { [dir.path]: project } }] as const;
    });
  },
];

/** The same as createNodesV2: Nx 22 takes the v2 signature under this name too. */
export const createNodes = createNodesV2;

// DependencyType is a string enum of nx; only its type is imported, so the plugin loads nothing of nx.
const STATIC = 'static' as DependencyType.static;

/** A static edge from each project to every local module its .tf/.tofu files call. */
export const createDependencies: CreateDependencies<TofuPluginOptions> = (_options, context) => {
  const projectByRoot = new Map(Object.entries(context.projects).map(([name, p]) => [p.root, name]));
  const edges: RawProjectGraphDependency[] = [];
  for (const [source, files] of Object.entries(context.fileMap.projectFileMap)) {
    for (const { file } of files.filter((f) => CONFIGURATION_FILE.test(f.file))) {
      for (const call of moduleCalls(context.workspaceRoot, file)) {
        const target = projectByRoot.get(call.dir);
        if (target !== undefined && target !== source) edges.push({ source, target, sourceFile: file, type: STATIC });
      }
    }
  }
  return edges;
};
