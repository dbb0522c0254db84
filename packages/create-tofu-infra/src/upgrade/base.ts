import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { manifestText, type Manifest } from '../repository/manifest.js';
import { UsageError } from '../spec/errors.js';
import type { Spec } from '../spec/spec.js';
import type { Files } from './plan.js';

/**
 * The flags that make a create-tofu-infra CLI of any version render the repository a manifest
 * describes, without prompts, validation or network. Every version since the manifest existed
 * takes them; region CIDRs are not flags, so the old CLI numbers regions in order.
 */
export function flagsOf(spec: Omit<Spec, 'generatorVersion'>): string[] {
  return [
    '--yes',
    '--skip-validate',
    ['--layout', spec.layout],
    ['--envs', spec.envs.join(',')],
    ['--regions', spec.regions.map((r) => r.name).join(',')],
    spec.layout === 'hybrid' && spec.services.length > 0 ? ['--services', spec.services.join(',')] : [],
    ['--modules', spec.modules.join(',')],
    ['--backend', spec.backend],
    spec.lock ? ['--lock', spec.lock] : [],
    ['--key-provider', spec.keyProvider],
    ['--ci', spec.ci.length > 0 ? spec.ci.join(',') : 'none'],
    spec.owners?.length ? ['--owners', spec.owners.join(',')] : [],
    ['--name', spec.name],
  ].flat();
}

/** The built CLI inside --base-from: a cli.js, a package directory, a checkout of this repository, or a packed .tgz. */
function cliIn(from: string, scratch: string): string {
  const path = resolve(from);
  if (!existsSync(path))
    throw new UsageError([`--base-from ${from}: no such file or directory. Give a create-tofu-infra checkout, package directory, cli.js or packed .tgz.`]);
  let root = path;
  if (path.endsWith('.tgz')) {
    const r = spawnSync('tar', ['-xzf', path, '-C', scratch], { encoding: 'utf8' });
    if (r.status !== 0) throw new UsageError([`--base-from ${from}: could not unpack it (${(r.stderr || String(r.error)).trim()}).`]);
    root = join(scratch, 'package');
  }
  const candidates = statSync(root).isFile() ? [root] : [join(root, 'dist', 'cli.js'), join(root, 'packages', 'create-tofu-infra', 'dist', 'cli.js')];
  const cli = candidates.find((c) => existsSync(c));
  if (!cli) throw new UsageError([`--base-from ${from}: no built create-tofu-infra CLI in it (looked for ${candidates.join(', ')}). Build it first (npm ci).`]);
  return cli;
}

function readTree(root: string, dir = root): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): [string, string][] => {
    const path = join(dir, e.name);
    return e.isDirectory() ? readTree(root, path) : [[relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')]];
  });
}

/**
 * The base of a three-way upgrade: the repository as the generator version its manifest records
 * renders it today (after every `nx g` run the manifest reflects). That version's CLI runs in a
 * scratch directory: the one --base-from names (offline), or `npx create-tofu-infra@<version>`.
 * Versions that record a template fingerprint render the manifest itself (render-from-manifest);
 * older ones get the equivalent flags.
 */
export function renderBase(manifest: Manifest, baseFrom: string | undefined, env: NodeJS.ProcessEnv = process.env): Files {
  const scratch = mkdtempSync(join(tmpdir(), 'cti-upgrade-base-'));
  try {
    const out = join(scratch, 'base');
    const command = baseFrom === undefined ? ['npx', '--yes', `create-tofu-infra@${manifest.generatorVersion}`] : [process.execPath, cliIn(baseFrom, scratch)];
    let args: string[];
    if (manifest.templates !== undefined) {
      const file = join(scratch, 'manifest.json');
      writeFileSync(file, manifestText(manifest));
      args = ['render-from-manifest', file, out];
    } else {
      args = [out, ...flagsOf(manifest.spec)];
    }
    const r = spawnSync(command[0]!, [...command.slice(1), ...args], { encoding: 'utf8', env: { ...env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0 || !existsSync(out)) {
      const said = (r.stderr || r.stdout || String(r.error ?? '')).trim();
      throw new UsageError([
        `could not render the base (the repository as create-tofu-infra ${manifest.generatorVersion} writes it) with ${command.join(' ')}: ${said || `exit ${r.status}`}. Upgrade needs that version: from npm (network), or offline with --base-from <its checkout, package directory or packed .tgz>.`,
      ]);
    }
    return new Map(readTree(out));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
