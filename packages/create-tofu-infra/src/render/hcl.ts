import { hclString } from './handlebars.js';
import type { HclValue } from '../features/types.js';

/** Writes a flat object of HCL values as `key = value` lines, aligned the way `tofu fmt` aligns them. */
export function hclAttributes(values: Record<string, HclValue>, indent: string): string {
  const keys = Object.keys(values);
  const width = Math.max(...keys.map((k) => k.length));
  return keys
    .map((k) => {
      const v = values[k]!;
      const text = typeof v === 'object' ? v.expr : typeof v === 'string' ? hclString(v) : String(v);
      return `${indent}${k.padEnd(width)} = ${text}`;
    })
    .join('\n');
}
