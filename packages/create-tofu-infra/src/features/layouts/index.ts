import type { Layout } from '../../spec/options.js';
import type { LayoutFeature } from '../types.js';
import { directory } from './directory.js';
import { hybrid } from './hybrid.js';
import { workspace } from './workspace.js';

/** Every layout, chosen by --layout. */
export const layouts: Record<Layout, LayoutFeature> = { workspace, directory, hybrid };
