import type { Tree } from '@nx/devkit';
import { jsonText, MANIFEST_FILE, nextFreeCidr, REGIONS_FILE, type RegionSettings, type RootPlan } from '../core.js';
import { GeneratorError } from './errors.js';
import { isObject, readJson, setAt, valueAt, writeIfChanged, type Json } from './json.js';
import type { Repository } from './repository.js';

/**
 * One place where an environment's regions are configured: a root's whole
 * regions.auto.tfvars.json, or one environment's entry in the workspace layout's file.
 */
export interface RegionsMap {
  file: string;
  /** Where the settings sit inside the file: [] or ['environments', <env>]. */
  at: string[];
  root: RootPlan;
  /** The environment these regions belong to ('shared' for the hybrid shared root). */
  env: string;
}

/** Every regions map of the repository, in root order; roots whose file is missing are skipped. */
export function regionsMaps(tree: Tree, repo: Repository): RegionsMap[] {
  return repo.roots.flatMap((root): RegionsMap[] => {
    const file = `${root.path}/${REGIONS_FILE}`;
    if (root.kind === 'bootstrap' || !tree.exists(file)) return [];
    if (root.kind !== 'workspace') return [{ file, at: [], root, env: root.stateEnv ?? root.path }];
    const environments = valueAt(readJson(tree, file), ['environments']);
    return Object.keys(isObject(environments) ? environments : {}).map((env) => ({ file, at: ['environments', env], root, env }));
  });
}

export function readSettings(tree: Tree, map: RegionsMap): RegionSettings {
  const value = valueAt(readJson(tree, map.file), map.at);
  if (!isObject(value) || typeof value.primary_region !== 'string' || !isObject(value.regions)) {
    const where = map.at.length === 0 ? map.file : `${map.file} (${map.at.join('.')})`;
    throw new GeneratorError([`${where} has no "primary_region" and "regions": fix it by hand, then run the generator again.`]);
  }
  return value as unknown as RegionSettings;
}

/** Replaces one map's settings in its file, leaving the rest of the file as it is; returns whether it changed. */
export function writeSettings(tree: Tree, map: RegionsMap, settings: RegionSettings): boolean {
  const whole = setAt(readJson(tree, map.file), map.at, settings as unknown as Json);
  return writeIfChanged(tree, map.file, jsonText(whole));
}

/**
 * The VPC CIDR of a new region: the core's next free 10.<n>.0.0/16, counting every CIDR in use in
 * the manifest and in any environment's regions file, so a new region never overlaps an existing one.
 */
export function newRegionCidr(tree: Tree, repo: Repository): string {
  const cidrs = [
    ...repo.spec.regions.map((r) => r.vpcCidr),
    ...regionsMaps(tree, repo).flatMap((map) => Object.values(readSettings(tree, map).regions).map((r) => r.vpc_cidr)),
  ];
  const cidr = nextFreeCidr(cidrs);
  if (cidr === undefined) {
    throw new GeneratorError([`Every 10.<n>.0.0/16 block (n a multiple of 16) is in use in ${MANIFEST_FILE} or a ${REGIONS_FILE}: remove a region first.`]);
  }
  return cidr;
}
