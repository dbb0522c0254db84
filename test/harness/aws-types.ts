import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM shared with scripts/toolchain.mjs
import { typesUsed } from '../../scripts/aws-services.mjs';
import { REPO } from './cli.js';
import { tempDir } from './tmp.js';
import { tofu } from './tofu.js';

/** The directories the toolchain reads aws types from (scripts/toolchain.mjs TYPE_SOURCES). */
export const TYPE_SOURCES = [join(REPO, 'templates'), join(REPO, 'test')];

export interface ProviderTypes {
  resources: Set<string>;
  dataSources: Set<string>;
}

/** Every resource and data source type the toolchain's aws provider serves, from `tofu providers schema -json`. */
export async function providerTypes(env: NodeJS.ProcessEnv = {}): Promise<ProviderTypes> {
  const dir = tempDir('cti-schema-');
  writeFileSync(join(dir, 'versions.tf'), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n');
  const init = await tofu(dir, ['init', '-backend=false', '-input=false'], env);
  if (init.exitCode !== 0) throw new Error(`tofu init failed:\n${init.all}`);
  const r = await tofu(dir, ['providers', 'schema', '-json'], env);
  if (r.exitCode !== 0) throw new Error(`tofu providers schema failed:\n${r.all}`);
  const schemas = JSON.parse(r.stdout) as { provider_schemas: Record<string, { resource_schemas?: object; data_source_schemas?: object }> };
  const aws = Object.entries(schemas.provider_schemas).find(([source]) => source.endsWith('/hashicorp/aws'))?.[1];
  if (!aws) throw new Error('the toolchain has no hashicorp/aws provider');
  return { resources: new Set(Object.keys(aws.resource_schemas ?? {})), dataSources: new Set(Object.keys(aws.data_source_schemas ?? {})) };
}

/**
 * The types named in `dirs` that the provider does not serve, each as one line saying where it is
 * used and how to get a provider that has it. Empty when everything is served.
 */
export function missingTypes(served: ProviderTypes, dirs: string[] = TYPE_SOURCES): string[] {
  const used = typesUsed(dirs) as Map<string, string>;
  const missing: string[] = [];
  for (const [key, file] of used) {
    const [family, type] = key.split('.') as ['resource' | 'data', string];
    const set = family === 'data' ? served.dataSources : served.resources;
    if (!set.has(type)) {
      missing.push(
        `${family === 'data' ? 'data source' : 'resource'} ${type} (used in ${file}) is not in the toolchain's trimmed aws provider: rerun \`npm run toolchain\` to rebuild it with that type's service`,
      );
    }
  }
  return missing;
}
