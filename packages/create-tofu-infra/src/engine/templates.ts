import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlebars, STRICT } from './handlebars.js';

/**
 * Template sources, read once from templates/ and compiled on first use. Each family of templates
 * has its own data type (e.g. EncryptionData, BackendData), built by one function next to its caller.
 */
export interface Templates {
  /** Renders one template file (path relative to templates/) with its data. */
  render<Data extends object>(path: string, data: Data): string;
  /** Every file under a template folder, relative to that folder, sorted. */
  list(dir: string): string[];
  /** The raw text of a template file (static files are copied as they are). */
  raw(path: string): string;
  /**
   * sha256 of every template file (path and content): which templates rendered a repository,
   * recorded in its manifest, since the version alone does not say (every build says 0.1.0).
   */
  fingerprint: string;
}

const MARKER = 'TEMPLATES.md';

/**
 * Folders whose files are partials, named after their path without .hbs: a template includes one
 * chosen by a feature as {{> (lookup this "partial") data}}. partials/ itself is shared by name
 * alone ({{> sizing-tfvars}}).
 */
const PARTIAL_FOLDERS = ['encryption/key-providers', 'encryption/variables'];

/**
 * Finds templates/: beside the built package (dist/../templates, copied in by the build), or at
 * the top of this repository when running from TypeScript sources, where a stale build copy
 * must never win.
 */
export function findTemplatesDir(from = fileURLToPath(import.meta.url)): string {
  const fromSource = from.endsWith('.ts');
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'templates');
    const isPackageCopy = existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'));
    if (existsSync(join(candidate, MARKER)) && !(fromSource && isPackageCopy)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`create-tofu-infra: templates/ not found above ${from}`);
    dir = parent;
  }
}

function walk(root: string, dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(root, join(dir, e.name)) : [relative(root, join(dir, e.name)).split(sep).join('/')],
  );
}

export function loadTemplates(dir = findTemplatesDir()): Templates {
  const hbs = createHandlebars();
  const compiled = new Map<string, ReturnType<typeof hbs.compile>>();
  const raw = (path: string) => readFileSync(join(dir, path), 'utf8');
  for (const file of walk(join(dir, 'partials'), join(dir, 'partials'))) {
    hbs.registerPartial(file.replace(/\.hbs$/, ''), raw(`partials/${file}`));
  }
  for (const folder of PARTIAL_FOLDERS) {
    for (const file of walk(join(dir, folder), join(dir, folder))) {
      hbs.registerPartial(`${folder}/${file.replace(/\.hbs$/, '')}`, raw(`${folder}/${file}`));
    }
  }
  return {
    raw,
    fingerprint: fingerprintOf(dir),
    list: (sub) => walk(join(dir, sub), join(dir, sub)).sort(),
    render(path, data) {
      let template = compiled.get(path);
      if (!template) {
        template = hbs.compile(raw(path), STRICT);
        compiled.set(path, template);
      }
      try {
        return template(data);
      } catch (err) {
        throw new Error(`template ${path}: ${(err as Error).message}`);
      }
    },
  };
}

/** sha256 over the sorted template paths and their bytes, as "sha256:<first 16 hex digits>". */
function fingerprintOf(dir: string): string {
  const hash = createHash('sha256');
  for (const file of walk(dir, dir).sort())
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(dir, file)))
      .update('\0');
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
