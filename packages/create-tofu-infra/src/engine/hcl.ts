/** An HCL expression written as it is: a reference the tool builds from validated names (var.x, path.module). */
export interface HclExpression {
  expr: string;
}

/** An HCL quoted template mixing literal text (escaped) and interpolated expressions: "alias/x-${local.env}". */
export interface HclTemplate {
  template: (string | HclExpression)[];
}

/** A value written into HCL: strings are quoted and escaped, numbers and booleans written as they are. */
export type HclValue = string | boolean | number | HclExpression | HclTemplate;

/** Literal text inside an HCL quoted string: JSON escaping, plus the sequences HCL would otherwise interpolate. */
function escapeText(value: string): string {
  return JSON.stringify(value).slice(1, -1).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

/** `text`, then `expr` interpolated, then `suffix`: the building block of names that follow an expression. */
export function hclTemplate(...parts: (string | HclExpression)[]): HclTemplate {
  return { template: parts.filter((p) => p !== '') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The inside of an HCL quoted string for a value: escaped text, or `${expr}` interpolations. */
export function hclPart(value: unknown): string {
  if (typeof value === 'string') return escapeText(value);
  if (isObject(value) && typeof value.expr === 'string') return `\${${value.expr}}`;
  if (isObject(value) && Array.isArray(value.template)) return value.template.map(hclPart).join('');
  throw new Error(`hclPart expects a string, an expression or a template, got ${JSON.stringify(value)}`);
}

/** Any HclValue as HCL source. */
export function hclValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) && typeof value.expr === 'string') return value.expr;
  if (typeof value === 'string' || (isObject(value) && Array.isArray(value.template))) return `"${hclPart(value)}"`;
  throw new Error(`hcl helper expects a string, number, boolean, expression or template, got ${JSON.stringify(value)}`);
}

/** A flat object of HCL values as `key = value` lines, aligned the way `tofu fmt` aligns them. */
export function hclAttributes(values: Record<string, HclValue>, indent: string): string {
  const keys = Object.keys(values);
  const width = Math.max(...keys.map((k) => k.length));
  return keys.map((k) => `${indent}${k.padEnd(width)} = ${hclValue(values[k])}`).join('\n');
}
