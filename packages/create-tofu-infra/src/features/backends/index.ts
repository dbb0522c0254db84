import type { BackendKind } from '../../spec/options.js';
import type { BackendFeature } from '../types.js';
import { gcs } from './gcs.js';
import { http } from './http.js';
import { local } from './local.js';
import { s3 } from './s3.js';
import { scaleway } from './scaleway.js';

/** Every backend kind, chosen by --backend. Adding one means adding a module here and its template. */
export const backends: Record<BackendKind, BackendFeature> = { s3, gcs, scaleway, http, local };
