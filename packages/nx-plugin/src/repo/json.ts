import type { Tree } from '@nx/devkit';
import { jsonText } from '../core.js';
import { GeneratorError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readJson(tree: Tree, path: string): Json {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new GeneratorError([`${path} is missing.`]);
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new GeneratorError([`${path} is not valid JSON (${(err as Error).message}): fix it by hand, then run the generator again.`]);
  }
}

/** Writes only when the content differs, so a generator that changes nothing leaves no change behind. */
export function writeIfChanged(tree: Tree, path: string, content: string): boolean {
  if (tree.read(path, 'utf-8') === content) return false;
  tree.write(path, content);
  return true;
}

const identity = (item: Json): string => (isObject(item) && typeof item.name === 'string' ? `name:${item.name}` : `json:${JSON.stringify(item)}`);

/**
 * Adds what `additions` holds and `existing` lacks, and nothing else: keys missing from an object
 * are added, items missing from an array are appended (objects with a `name` are matched by it),
 * and every value already there stays as it is, user edits included.
 */
export function mergeAdditions(existing: Json, additions: Json): Json {
  if (isObject(existing) && isObject(additions)) {
    const merged: JsonObject = { ...existing };
    for (const [key, value] of Object.entries(additions)) {
      merged[key] = key in existing ? mergeAdditions(existing[key]!, value) : value;
    }
    return merged;
  }
  if (Array.isArray(existing) && Array.isArray(additions)) {
    const present = new Set(existing.map(identity));
    return [...existing, ...additions.filter((item) => !present.has(identity(item)))];
  }
  return existing;
}

/** The value at `path` inside an object, or undefined. */
export function valueAt(value: Json, path: readonly string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** A copy of `value` with `replacement` at `path` (keys keep their order). */
export function setAt(value: Json, path: readonly string[], replacement: Json): Json {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  const object = isObject(value) ? value : {};
  return { ...object, [key]: setAt(object[key] ?? {}, rest, replacement) };
}

/** `value` wrapped in objects along `path`: nest(['a', 'b'], 1) is {a: {b: 1}}. */
export function nest(path: readonly string[], value: Json): Json {
  return path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value);
}

/** Merges additions into a JSON file of the Tree; returns whether the file changed. */
export function mergeIntoJsonFile(tree: Tree, path: string, additions: Json): boolean {
  return writeIfChanged(tree, path, jsonText(mergeAdditions(readJson(tree, path), additions)));
}

/** Removes the key at `path` from a JSON file of the Tree (a missing file or key is no change); returns whether the file changed. */
export function removeFromJsonFile(tree: Tree, path: string, at: readonly string[]): boolean {
  if (!tree.exists(path) || at.length === 0) return false;
  const whole = readJson(tree, path);
  const parent = valueAt(whole, at.slice(0, -1));
  const key = at[at.length - 1]!;
  if (!isObject(parent) || !(key in parent)) return false;
  const { [key]: _removed, ...rest } = parent;
  return writeIfChanged(tree, path, jsonText(at.length === 1 ? rest : setAt(whole, at.slice(0, -1), rest)));
}
