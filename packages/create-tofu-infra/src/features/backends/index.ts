import { featureOf } from '../table.js';
import type { Spec } from '../../spec/spec.js';
import type { BackendFeature } from '../types.js';
import { gcs } from './gcs.js';
import { http } from './http.js';
import { local } from './local.js';
import { s3 } from './s3.js';
import { scaleway } from './scaleway.js';

/** Every backend, chosen by --backend: its key is the flag value. Adding one is one module, its template and one line here. */
export const backends = {
  s3,
  gcs,
  scaleway,
  http,
  local,
} satisfies Record<string, BackendFeature>;

export type BackendKind = keyof typeof backends;
export const BACKENDS = Object.keys(backends) as BackendKind[];

/** The backend of a checked spec. */
export const backendOf = (spec: Pick<Spec, 'backend'>): BackendFeature => featureOf<BackendFeature>('backend', backends, spec.backend);
