// Which services of the aws provider this project needs, derived, never listed by hand.
//
// The generated code and the tests name resource and data source types (`resource "aws_vpc"`).
// Each of the provider's service packages registers its type names in service_package_gen.go, so
// the types give the packages that must be registered. Types are not enough: a package reaches
// other services' API clients at run time (aws_autoscaling_group asks the ELB clients), and a
// client of an unregistered service panics. So the set is closed over every `XClient(ctx)` call in
// every package the build compiles, transitively, until it stops growing. The SDK client list
// (internal/conns/awsclient_gen.go) is then cut to the same services, so a call to any other
// client no longer compiles: the compiler checks the closure.
//
// Everything here is pure over file contents, so it runs in milliseconds and the tests can call it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';

const MODULE = 'github.com/hashicorp/terraform-provider-aws';
const SERVICE_PACKAGES_GEN = 'internal/provider/sdkv2/service_packages_gen.go';
const AWSCLIENT_GEN = 'internal/conns/awsclient_gen.go';

const TYPE_PATTERN = /\b(resource|data|ephemeral)\s+"(aws_[a-z0-9_]+)"/g;
const SOURCE_EXTENSIONS = /\.(tf|hcl|hbs|ts|mts|mjs|json)$/;
/** A file holding this line names aws types on purpose that the build must not serve (tests of this very guard). */
export const IGNORE_MARKER = 'aws-types: ignore-file';

/** Every `resource`/`data` type of the aws provider named in the files under the given directories. */
export function typesUsed(dirs) {
  const types = new Map();
  for (const dir of dirs) {
    for (const file of walk(dir, (name) => name !== 'node_modules' && name !== 'dist' && !name.startsWith('.'))) {
      if (!SOURCE_EXTENSIONS.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      if (text.includes(IGNORE_MARKER)) continue;
      for (const match of text.matchAll(TYPE_PATTERN)) {
        const key = `${match[1] === 'data' ? 'data' : 'resource'}.${match[2]}`;
        if (!types.has(key)) types.set(key, file);
      }
    }
  }
  return types;
}

function* walk(dir, keep) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (!keep(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path, keep);
    else yield path;
  }
}

/** Module-internal imports of a Go package directory (non-test files). */
function goFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => join(dir, f));
}

function importsOf(source) {
  const found = [];
  const block = /^import\s*\(([\s\S]*?)^\)/m.exec(source);
  const lines = block ? block[1].split('\n') : [];
  for (const single of source.matchAll(/^import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) found.push(single[1]);
  for (const line of lines) {
    const m = /"([^"]+)"/.exec(line);
    if (m) found.push(m[1]);
  }
  return found.filter((p) => p === MODULE || p.startsWith(`${MODULE}/`));
}

/**
 * Reads the provider module once: the client methods (name → service), the service packages (dir →
 * service name and the types each registers) and each internal package's imports and client calls.
 */
export function readProvider(moduleDir) {
  const clientGen = readFileSync(join(moduleDir, AWSCLIENT_GEN), 'utf8');
  const methods = new Map();
  for (const m of clientGen.matchAll(
    /^func \(c \*AWSClient\) (\w+)\(ctx context\.Context\) \*[\w.]+ \{\n\treturn errs\.Must\(client\[[^\]]+\]\(ctx, c, names\.(\w+),/gm,
  )) {
    methods.set(m[1], m[2]);
  }
  if (methods.size < 100)
    throw new Error(`${AWSCLIENT_GEN}: expected the generated client methods, found ${methods.size}; the pinned provider's layout changed`);

  const servicesDir = join(moduleDir, 'internal', 'service');
  const services = new Map();
  const typeOwner = new Map();
  for (const dir of readdirSync(servicesDir).sort()) {
    const gen = join(servicesDir, dir, 'service_package_gen.go');
    if (!existsSync(gen)) continue;
    const text = readFileSync(gen, 'utf8');
    const name = /ServicePackageName\(\) string \{\n\treturn names\.(\w+)/.exec(text)?.[1];
    const hasClient = /\) NewClient\(ctx context\.Context/.test(text);
    services.set(dir, { dir, name, hasClient });
    for (const section of text.split(/^func \(p \*servicePackage\) /m)) {
      const kind = /^(Framework|SDK)(DataSources|Resources|EphemeralResources|ListResources|Actions)\(/.exec(section);
      if (!kind) continue;
      const family = kind[2] === 'DataSources' ? 'data' : kind[2] === 'Resources' ? 'resource' : undefined;
      if (!family) continue;
      for (const t of section.matchAll(/TypeName:\s+"(aws_[a-z0-9_]+)"/g)) typeOwner.set(`${family}.${t[1]}`, dir);
    }
  }

  const packages = new Map();
  const load = (importPath) => {
    if (packages.has(importPath)) return packages.get(importPath);
    const dir = join(moduleDir, relative(MODULE, importPath));
    const entry = { imports: new Set(), calls: new Set() };
    packages.set(importPath, entry);
    if (!existsSync(dir)) return entry;
    for (const file of goFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const i of importsOf(text)) entry.imports.add(i);
      for (const c of text.matchAll(/\.(\w+Client)\(/g)) if (methods.has(c[1])) entry.calls.add(c[1]);
    }
    return entry;
  };
  return { moduleDir, methods, services, typeOwner, load };
}

const servicePath = (dir) => `${MODULE}/internal/service/${dir}`;

/**
 * The closure: the packages registering `types`, plus every service whose client any compiled
 * package calls, until nothing is added. Returns the sorted package dirs and why each is there.
 */
export function closeServices(provider, types) {
  const { methods, services, typeOwner, load } = provider;
  const byName = new Map([...services.values()].map((s) => [s.name, s.dir]));
  const why = new Map();
  const missing = [];
  for (const [type, from] of types) {
    const dir = typeOwner.get(type);
    if (!dir) missing.push({ type, from });
    else if (!why.has(dir)) why.set(dir, `registers ${type.replace(/^resource\./, '')}`);
  }
  if (missing.length) {
    const list = missing.map((m) => `${m.type} (${m.from})`).join(', ');
    throw new Error(`no service package of the pinned aws provider registers: ${list}`);
  }
  // The provider core, minus the generated registration list (replaced by the chosen services).
  const roots = [MODULE];
  for (;;) {
    const compiled = new Set();
    const queue = [...roots, ...[...why.keys()].map(servicePath)];
    while (queue.length) {
      const path = queue.pop();
      if (compiled.has(path)) continue;
      compiled.add(path);
      for (const i of load(path).imports) {
        const isService = i.startsWith(`${MODULE}/internal/service/`) && i.split('/').length === 6;
        // The registration list imports every service package; the chosen list replaces it.
        if (path === `${MODULE}/internal/provider/sdkv2` && isService && !why.has(i.split('/').pop())) continue;
        queue.push(i);
      }
    }
    let grew = false;
    for (const path of [...compiled].sort()) {
      for (const call of [...load(path).calls].sort()) {
        const dir = byName.get(methods.get(call));
        if (!dir || why.has(dir)) continue;
        why.set(dir, `client ${call} called by ${relative(MODULE, path) || 'the provider'}`);
        grew = true;
      }
    }
    // Packages compiled only through imports still register nothing, which is harmless: their
    // clients are in the closure, so the calls they make resolve.
    if (!grew) return { dirs: [...why.keys()].sort(), why, compiled };
  }
}

/** The registration list with only the chosen service packages. */
export function patchServicePackages(source, dirs) {
  const keep = new Set(dirs);
  const lines = source.split('\n');
  const out = lines.filter((line) => {
    const imp = /^\t"github\.com\/hashicorp\/terraform-provider-aws\/internal\/service\/(\w+)"$/.exec(line);
    if (imp) return keep.has(imp[1]);
    const reg = /^\t\t(\w+)\.ServicePackage\(ctx\),$/.exec(line);
    if (reg) return keep.has(reg[1]);
    return true;
  });
  const registered = out.filter((l) => /^\t\t\w+\.ServicePackage\(ctx\),$/.test(l)).length;
  if (registered !== keep.size) throw new Error(`${SERVICE_PACKAGES_GEN}: kept ${registered} registrations, expected ${keep.size}`);
  return out.join('\n');
}

/** The SDK client list with only the chosen services' clients (and their SDK imports). */
export function patchClients(source, provider, dirs) {
  const keepNames = new Set(dirs.map((d) => provider.services.get(d).name));
  const [head, ...funcs] = source.split(/\n(?=func \(c \*AWSClient\) )/);
  const kept = funcs.filter((f) => {
    const m = /^func \(c \*AWSClient\) (\w+)\(/.exec(f);
    return keepNames.has(provider.methods.get(m[1]));
  });
  const body = kept.join('\n');
  const trimmedHead = head.replace(/^import \(([\s\S]*?)^\)/m, (_, block) => {
    const used = block.split('\n').filter((line) => {
      const m = /^\t(?:(\w+) )?"([^"]+)"$/.exec(line);
      if (!m) return line.trim() !== '';
      const alias = m[1] ?? m[2].split('/').pop();
      return new RegExp(`\\b${alias}\\.`).test(body);
    });
    return `import (\n${used.join('\n')}\n)`;
  });
  return `${trimmedHead}\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

/**
 * Everything the toolchain needs to build the trimmed provider: the services, why each is in, the
 * two patched files, and a key that changes whenever the list (or the patching) changes.
 */
export function planTrimmedProvider(moduleDir, typeDirs) {
  const provider = readProvider(moduleDir);
  const types = typesUsed(typeDirs);
  const { dirs, why } = closeServices(provider, types);
  const files = {
    [SERVICE_PACKAGES_GEN]: patchServicePackages(readFileSync(join(moduleDir, SERVICE_PACKAGES_GEN), 'utf8'), dirs),
    [AWSCLIENT_GEN]: patchClients(readFileSync(join(moduleDir, AWSCLIENT_GEN), 'utf8'), provider, dirs),
  };
  const hash = createHash('sha256');
  for (const [path, text] of Object.entries(files)) hash.update(`${path}\0${text}\0`);
  return { types: [...types.keys()].sort(), dirs, why, files, key: hash.digest('hex').slice(0, 12), typeOwner: provider.typeOwner };
}

export const patchedFiles = [SERVICE_PACKAGES_GEN, AWSCLIENT_GEN];
