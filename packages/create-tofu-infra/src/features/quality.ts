import type { Templates } from '../engine/templates.js';
import { DEFAULTS } from '../spec/options.js';
import type { GeneratedFile, RootPlan, Spec } from '../spec/spec.js';
import { bootstrapNeeded, BOOTSTRAP_ROOT } from './bootstrap.js';
import { ciTargetOf } from './ci/index.js';
import { isProduction } from './roots/sizing.js';

/** Files every repository gets as they are: editor settings, tflint, pre-commit hooks, Renovate. */
const STATIC_FILES: Record<string, string> = {
  '.editorconfig': 'quality/editorconfig',
  '.tflint.hcl': 'quality/tflint.hcl',
  '.pre-commit-config.yaml': 'quality/pre-commit-config.yaml',
  'renovate.json': 'quality/renovate.json',
};

/** What production is made of in this layout: its own roots, the workspace root's tfvars, the shared root every environment reads. */
export function productionPaths(spec: Spec, roots: RootPlan[]): { path: string; why: string }[] {
  const production = spec.envs.filter(isProduction);
  return roots.flatMap((root) => {
    if (root.kind === 'shared') return [{ path: `${root.path}/`, why: 'the shared root, read by every environment' }];
    if (root.kind === 'workspace')
      return production.map((env) => ({ path: `${root.path}/environments/${env}.tfvars`, why: `the values of the ${env} workspace` }));
    return root.stateEnv !== undefined && production.includes(root.stateEnv) ? [{ path: `${root.path}/`, why: `the ${root.stateEnv} root` }] : [];
  });
}

/** The repository's own quality gates: pre-commit hooks, tflint and editor settings, code owners, Renovate. */
export function qualityFiles(spec: Spec, t: Templates, roots: RootPlan[]): GeneratedFile[] {
  const owners = spec.owners.join(' ');
  const codeOwners = {
    owners,
    placeholder: owners === DEFAULTS.owners.join(' '),
    bootstrap: bootstrapNeeded(spec) ? `${BOOTSTRAP_ROOT.path}/` : undefined,
    production: productionPaths(spec, roots),
    ciPaths: spec.ci.flatMap((target) => ciTargetOf(target).codeOwnerPaths),
  };
  return [
    ...Object.entries(STATIC_FILES).map(([path, template]) => ({ path, content: t.raw(template) })),
    { path: 'CODEOWNERS', content: t.render('quality/CODEOWNERS.hbs', codeOwners) },
  ];
}
