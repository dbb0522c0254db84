import type { Spec } from '../../spec/spec.js';
import type { LayoutFeature } from '../types.js';
import { directory } from './directory.js';
import { hybrid } from './hybrid.js';
import { workspace } from './workspace.js';

/** Every layout, chosen by --layout: its key is the flag value. */
export const layouts = { workspace, directory, hybrid } satisfies Record<string, LayoutFeature>;

export type Layout = keyof typeof layouts;
export const LAYOUTS = Object.keys(layouts) as Layout[];

/** The layout of a checked spec. */
export function layoutOf(spec: Pick<Spec, 'layout'>): LayoutFeature {
  const layout = (layouts as Record<string, LayoutFeature>)[spec.layout];
  if (!layout) throw new Error(`unknown layout "${spec.layout}": valid values are ${LAYOUTS.join(', ')}`);
  return layout;
}
