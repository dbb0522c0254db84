import type { Templates } from './templates.js';
import type { GeneratedFile } from '../spec/spec.js';

/** Template files may not be named .gitignore (npm pack drops those), so they carry these names. */
const RENAMES: Record<string, string> = { gitignore: '.gitignore', 'gitlab-ci.yml': '.gitlab-ci.yml' };

/**
 * Renders a template folder into a destination folder: `*.hbs` files are rendered with `data`
 * and lose the suffix, other files are copied as they are.
 */
export function renderFolder<Data extends object>(t: Templates, from: string, to: string, data: Data): GeneratedFile[] {
  return t.list(from).map((file) => {
    const rendered = file.endsWith('.hbs');
    const name = rendered ? file.slice(0, -'.hbs'.length) : file;
    const parts = name.split('/');
    const last = parts.pop()!;
    const target = [...parts, RENAMES[last] ?? last].join('/');
    return {
      path: to === '' ? target : `${to}/${target}`,
      content: rendered ? t.render(`${from}/${file}`, data) : t.raw(`${from}/${file}`),
    };
  });
}

/** JSON the way every generated JSON file is written (and rewritten): two-space indent, final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function jsonFile(path: string, value: unknown): GeneratedFile {
  return { path, content: jsonText(value) };
}

/** A rendered file's text; a file shipped as bytes (the plugin tarball) has none. */
export function textOf(file: GeneratedFile): string {
  if (typeof file.content !== 'string') throw new Error(`${file.path} is a binary file, not text`);
  return file.content;
}
