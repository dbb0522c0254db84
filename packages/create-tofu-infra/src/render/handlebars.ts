import Handlebars from 'handlebars';

/** An HCL quoted string: JSON escaping, plus the template sequences HCL would otherwise interpolate. */
export function hclString(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`hcl helper expects a string, got ${typeof value}`);
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

/**
 * The one Handlebars instance of this tool: isolated from the global one, no HTML escaping
 * (we write HCL, YAML and Markdown), and strict, so a template naming a missing field fails
 * loudly instead of rendering an empty string.
 */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('hcl', (value: unknown) => hclString(value));
  hbs.registerHelper('hclList', (values: unknown) => {
    if (!Array.isArray(values)) throw new Error('hclList helper expects a list');
    return `[${values.map(hclString).join(', ')}]`;
  });
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('join', (values: unknown, sep: unknown) => {
    if (!Array.isArray(values)) throw new Error('join helper expects a list');
    return values.join(typeof sep === 'string' ? sep : ', ');
  });
  return hbs;
}

export const STRICT = { noEscape: true, strict: true } as const;
