import { isEncryptionFile } from '../features/roots/encryption.js';
import type { Files } from './plan.js';

const BACKEND_FILE = /(^|\/)backend\.tf$/;
/** The attributes that say where a root's state lives. */
const LOCATION = /^\s*(bucket|key|prefix|workspace_key_prefix|path|address)\s*=/;
const KEY_PROVIDER = /^\s*key_provider\s+"[^"]+"\s+"[^"]+"/;
const METHOD = /^\s*method\s+"[^"]+"\s+"[^"]+"/;

const squeeze = (line: string) => line.trim().replace(/\s+/g, ' ');

/** Every method header and every key provider block, line by line (what decides how state is encrypted). */
function encryptionFacts(text: string): string[] {
  const facts: string[] = [];
  let inKeyProvider = false;
  for (const line of text.split('\n')) {
    if (KEY_PROVIDER.test(line)) inKeyProvider = true;
    if (inKeyProvider || METHOD.test(line)) facts.push(squeeze(line));
    if (inKeyProvider && line.trim() === '}') inKeyProvider = false;
  }
  return facts;
}

const locationFacts = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => LOCATION.test(l))
    .map(squeeze);

/** Every setting of a backend.tf, comments and blank lines aside, whitespace squeezed. */
const backendSettings = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => squeeze(l.replace(/\s#.*$|^\s*#.*$/, '')))
    .filter((l) => l !== '');

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What an upgrade must never do silently: change how a root's state is encrypted (a method or a key
 * provider in encryption.tf) or where it lives (a backend's bucket, key or prefix). Compares the old
 * and the new rendering of every root both have; each problem says what to do instead.
 */
export function guardProblems(base: Files, next: Files): string[] {
  const problems: string[] = [];
  for (const [path, before] of base) {
    const after = next.get(path);
    if (after === undefined) continue;
    if (isEncryptionFile(path) && !same(encryptionFacts(before), encryptionFacts(after))) {
      problems.push(
        `${path}: the new version changes how this state is encrypted (a method or key provider). Upgrade never does that silently: change keys with a key change (npx nx g @create-tofu-infra/nx:key-change rotate --to <provider>, apply every root, then finish), then upgrade.`,
      );
    }
    if (BACKEND_FILE.test(path) && !same(locationFacts(before), locationFacts(after))) {
      problems.push(
        `${path}: the new version moves this state (backend bucket, key or prefix: ${locationFacts(before).join('; ')} -> ${locationFacts(after).join('; ')}). Migrate it first: copy the state to the new location (tofu init -migrate-state with the new backend), commit, then upgrade.`,
      );
    }
  }
  return problems;
}

/**
 * The roots whose backend settings the new version changes without moving their state (the same
 * bucket, key and prefix; e.g. a profile or a lock setting): tofu refuses to run there until
 * `tofu init -reconfigure`, so upgrade says so. A move is guardProblems' to refuse.
 */
export function reinitRoots(base: Files, next: Files): string[] {
  const roots: string[] = [];
  for (const [path, before] of base) {
    const after = next.get(path);
    if (after === undefined || !BACKEND_FILE.test(path)) continue;
    if (same(locationFacts(before), locationFacts(after)) && !same(backendSettings(before), backendSettings(after))) {
      roots.push(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');
    }
  }
  return roots.sort();
}

/** What upgrade prints (CLI and Nx plugin) for the roots reinitRoots names. */
export const reinitAdvice = (roots: string[]): string =>
  `Backend settings change in ${roots.join(', ')} (the state stays where it is): tofu refuses to plan there until you run tofu init -reconfigure in each, after this upgrade.`;
