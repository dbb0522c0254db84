import Handlebars from 'handlebars';
import { hclAttributes, hclPart, hclValue, type HclValue } from './hcl.js';

function list(helper: string, values: unknown): unknown[] {
  if (!Array.isArray(values)) throw new Error(`${helper} helper expects a list`);
  return values;
}

/**
 * The one Handlebars instance of this tool: isolated from the global one, no HTML escaping
 * (we write HCL, YAML and Markdown), and strict, so a template naming a missing field fails
 * loudly instead of rendering an empty string. Values enter HCL through the hcl* helpers only.
 */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('hcl', (value: unknown) => hclValue(value));
  hbs.registerHelper('hclPart', (value: unknown) => hclPart(value));
  hbs.registerHelper('hclAttributes', (values: Record<string, HclValue>, indent: unknown) => hclAttributes(values, ' '.repeat(Number(indent))));
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('join', (values: unknown, sep: unknown) => list('join', values).join(typeof sep === 'string' ? sep : ', '));
  return hbs;
}

export const STRICT = { noEscape: true, strict: true } as const;
