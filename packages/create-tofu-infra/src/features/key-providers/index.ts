import type { KeyProviderKind } from '../../spec/options.js';
import type { KeyProviderFeature } from '../types.js';
import { awsKms } from './aws-kms.js';
import { gcpKms } from './gcp-kms.js';
import { none } from './none.js';
import { openbao } from './openbao.js';
import { pbkdf2 } from './pbkdf2.js';

/** Every key provider, chosen by --key-provider. */
export const keyProviders: Record<KeyProviderKind, KeyProviderFeature> = { pbkdf2, aws_kms: awsKms, gcp_kms: gcpKms, openbao, none };
