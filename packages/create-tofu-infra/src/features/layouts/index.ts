import { featureOf } from '../table.js';
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
export const layoutOf = (spec: Pick<Spec, 'layout'>): LayoutFeature => featureOf<LayoutFeature>('layout', layouts, spec.layout);

/** The environments whose state some root reads through terraform_remote_state (hybrid: shared), each once. */
export function readStateEnvironments(spec: Spec): string[] {
  const layout = layoutOf(spec);
  return [...new Set(layout.stateEnvironments(spec).flatMap((env) => layout.remoteStateReads?.(spec, env) ?? []))];
}
