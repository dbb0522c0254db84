// The inference plugin on scaffolded repositories written to disk: which directories become
// projects, their targets, and the module edges that drive `nx affected`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, ProjectConfiguration } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { createDependencies, createNodes, createNodesV2, TOFU_FILES_GLOB } from '../../packages/nx-plugin/src/index.js';
import { localModuleSources } from '../../packages/nx-plugin/src/inference/module-sources.js';
import { LAYOUTS, rendered, specOf } from '../harness/nx-tree.js';
import { tempDir } from '../harness/tmp.js';

/** Writes the repository to disk; returns its directory and the files the plugin's glob matches. */
function scaffold(layout: (typeof LAYOUTS)[number]) {
  const dir = tempDir('cti-nx-plugin-');
  const files = rendered(specOf({ layout, regions: 'eu-west-1,eu-central-1' }));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, files: [...files.keys()].filter((f) => /\.(tf|tofu|tfvars|tftest\.hcl)$/.test(f)), manifest: JSON.parse(files.get('tofu-infra.json')!) };
}

async function projectsOf(dir: string, files: string[], options = {}) {
  const results = await createNodesV2[1](files, options, { workspaceRoot: dir, nxJsonConfiguration: {} });
  return Object.fromEntries(results.flatMap(([, r]) => Object.values(r.projects ?? {})).map((p) => [p.name!, p as ProjectConfiguration]));
}

function dependencyContext(dir: string, files: string[], projects: Record<string, ProjectConfiguration>): CreateDependenciesContext {
  const owner = (file: string) =>
    Object.values(projects)
      .filter((p) => file.startsWith(`${p.root}/`))
      .sort((a, b) => b.root.length - a.root.length)[0];
  const projectFileMap: Record<string, { file: string; hash: string }[]> = {};
  for (const file of files) {
    const p = owner(file);
    if (p) (projectFileMap[p.name!] ??= []).push({ file, hash: '0' });
  }
  return {
    projects,
    workspaceRoot: dir,
    fileMap: { projectFileMap, nonProjectFiles: [] },
    filesToProcess: { projectFileMap, nonProjectFiles: [] },
    externalNodes: {},
    nxJsonConfiguration: {},
  };
}

const modulesOf = {
  directory: ['modules-network', 'modules-database', 'modules-application'],
  workspace: ['modules-network', 'modules-database', 'modules-application'],
  hybrid: ['modules-network', 'modules-database', 'modules-application', 'services-app-modules-stack'],
} as const;

describe('inference plugin', () => {
  it('globs every OpenTofu file, and createNodes is createNodesV2', () => {
    expect(TOFU_FILES_GLOB).toBe('**/*.{tf,tofu,tfvars,tftest.hcl}');
    expect(createNodes).toBe(createNodesV2);
  });

  it.each(LAYOUTS)(
    '%s layout: every root is a project with fmt, validate, plan, apply; modules get fmt, and test when they have tofu tests',
    async (layout) => {
      const { dir, files, manifest } = scaffold(layout);
      const projects = await projectsOf(dir, files);
      const roots = (manifest.roots as string[]).map((r) => r.replaceAll('/', '-'));
      expect(Object.keys(projects).sort()).toEqual([...roots, ...modulesOf[layout]].sort());
      for (const root of manifest.roots as string[]) {
        const p = projects[root.replaceAll('/', '-')]!;
        expect(p.root).toBe(root);
        expect(p.tags).toEqual(['opentofu', 'opentofu:root']);
        expect(Object.keys(p.targets!)).toEqual(['fmt', 'validate', 'plan', 'apply']);
        const { fmt, validate, plan, apply } = p.targets!;
        expect(fmt).toMatchObject({ cache: true, options: { cwd: root, commands: ['tofu fmt -check -diff -recursive -no-color'] } });
        expect(validate).toMatchObject({
          cache: true,
          options: { cwd: root, commands: ['tofu init -backend=false -input=false -no-color', 'tofu validate -no-color'] },
        });
        expect(validate!.inputs).toEqual(expect.arrayContaining([{ fileset: '{projectRoot}/**/*.tf', dependencies: true }, { runtime: 'tofu version' }]));
        expect(plan).toMatchObject({ cache: false });
        expect(apply).toMatchObject({ cache: false, parallelism: false });
      }
      for (const m of modulesOf[layout]) {
        const tested = m.startsWith('modules-');
        expect(Object.keys(projects[m]!.targets!)).toEqual(tested ? ['fmt', 'test'] : ['fmt']);
        if (!tested) continue;
        const root = projects[m]!.root;
        expect(projects[m]!.targets!.test).toMatchObject({
          cache: true,
          options: { cwd: root, commands: ['tofu init -backend=false -input=false -no-color', 'tofu test -no-color'] },
        });
        expect(projects[m]!.targets!.test!.inputs).toEqual(expect.arrayContaining(['{projectRoot}/**/*.tftest.hcl', { runtime: 'tofu version' }]));
      }
    },
  );

  it('gives the workspace root one plan/apply configuration per environment', async () => {
    const { dir, files } = scaffold('workspace');
    const infra = (await projectsOf(dir, files)).infra!;
    expect(Object.keys(infra.targets!.plan!.configurations!)).toEqual(['dev', 'prod', 'staging']);
    expect(infra.targets!.plan!.configurations!.dev).toEqual({
      commands: ['tofu init -input=false', 'tofu workspace select -or-create dev', 'tofu plan -input=false -var-file=environments/dev.tfvars -out=dev.tfplan'],
    });
    expect(infra.targets!.apply!.configurations!.prod!.commands).toContain('tofu apply -input=false prod.tfplan');
  });

  it('honours its documented options', async () => {
    const { dir, files } = scaffold('directory');
    const options = {
      fmtTargetName: 'tofu-fmt',
      validateTargetName: 'tofu-validate',
      planTargetName: 'tofu-plan',
      applyTargetName: 'tofu-apply',
      tofuCommand: '/opt/tofu',
    };
    const p = (await projectsOf(dir, files, options))['environments-dev']!;
    expect(Object.keys(p.targets!)).toEqual(['tofu-fmt', 'tofu-validate', 'tofu-plan', 'tofu-apply']);
    expect(p.targets!['tofu-validate']!.options.commands[1]).toBe('/opt/tofu validate -no-color');
  });

  it.each(LAYOUTS)('%s layout: local module sources become static edges', async (layout) => {
    const { dir, files } = scaffold(layout);
    const projects = await projectsOf(dir, files);
    const edges = await createDependencies({}, dependencyContext(dir, files, projects));
    const pairs = [...new Set(edges.map((e) => `${e.source} -> ${e.target}`))].sort();
    expect(pairs).toMatchSnapshot();
    expect(edges.every((e) => e.type === 'static' && 'sourceFile' in e && e.sourceFile?.endsWith('.tf') === true)).toBe(true);
  });

  it('reads only module sources that are local paths, outside comments', () => {
    const hcl = `
module "a" {
  source = "../modules/a"
}
/* module "b" {
  source = "./b"
} */
# source = "./c"
module "d" {
  source  = "terraform-aws-modules/vpc/aws"
}
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
module "e" {
  source = "./e/"
}
`;
    expect(localModuleSources(hcl)).toEqual(['../modules/a', './e/']);
  });
});
