/** Small pure checks for the names a user types. Each returns a problem sentence, or undefined when fine. */
import { AWS_REGIONS } from './aws-regions.js';

const NAME = /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/;
/** An AWS region name's form: eu-west-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1. */
const REGION = /^[a-z]{2,4}(-[a-z]{2,4})?-[a-z]+-[1-9]\d*$/;

/** Environment and service names become directory names, workspace names, bucket and alias parts. */
export function checkName(kind: string, value: string): string | undefined {
  if (value === '') return `${kind} name is empty`;
  if (/[/\\]/.test(value)) return `${kind} name "${value}" contains a path separator`;
  if (/\s/.test(value)) return `${kind} name "${value}" contains a space`;
  if (/[A-Z]/.test(value)) return `${kind} name "${value}" has uppercase letters`;
  if (value.length > 32) return `${kind} name "${value}" is longer than 32 characters`;
  if (!NAME.test(value) || value.includes('--')) {
    return `${kind} name "${value}" is not valid`;
  }
  return undefined;
}

/** Whether `value` has the form of an AWS region name (whether AWS has such a region: unknownRegion). */
export function checkRegion(value: string): string | undefined {
  return REGION.test(value) ? undefined : `region "${value}" is not an AWS region name`;
}

/**
 * A well-formed region name missing from the list this version carries (AWS_REGIONS, from
 * botocore): a typo, or a region newer than the list. Said with the list's date.
 */
export function unknownRegion(value: string): string | undefined {
  const known = AWS_REGIONS.names as readonly string[];
  if (known.includes(value)) return undefined;
  const area = value.replace(/-\d+$/, '-');
  const near = known.filter((r) => r.startsWith(area));
  return `region "${value}" is not in the AWS region list of this version (${AWS_REGIONS.source}, ${AWS_REGIONS.date})${near.length > 0 ? `; known ${area}*: ${near.join(', ')}` : ''}`;
}

/** A bucket name's rules: each returns a problem sentence, or undefined when fine. */
export type BucketRule = (value: string) => string | undefined;

/** What every object store asks of a bucket name (DNS-compatible), without dots, which break TLS virtual hosting. */
function checkDnsBucketName(value: string): string | undefined {
  if (value.length < 3 || value.length > 63) return `bucket name "${value}" must be 3 to 63 characters long (it is ${value.length})`;
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(value))
    return `bucket name "${value}" may only hold lowercase letters, digits and hyphens, and must start and end with a letter or digit`;
  return undefined;
}

/** S3 bucket naming rules (general purpose buckets): the DNS rules and the prefixes and suffixes AWS reserves. */
export function checkS3BucketName(value: string): string | undefined {
  const dns = checkDnsBucketName(value);
  if (dns) return dns;
  if (value.startsWith('xn--') || value.startsWith('sthree-') || value.startsWith('amzn-s3-demo-')) return `bucket name "${value}" uses a prefix AWS reserves`;
  if (value.endsWith('-s3alias') || value.endsWith('--ol-s3') || value.endsWith('--x-s3') || value.endsWith('--table-s3'))
    return `bucket name "${value}" uses a suffix AWS reserves`;
  return undefined;
}

/** Cloud Storage bucket naming rules: the DNS rules; no "goog" prefix, no "google" or a look-alike anywhere. */
export function checkGcsBucketName(value: string): string | undefined {
  const dns = checkDnsBucketName(value);
  if (dns) return dns;
  if (value.startsWith('goog')) return `bucket name "${value}" starts with "goog", which Cloud Storage reserves`;
  if (/g[o0][o0]g[l1]e/.test(value)) return `bucket name "${value}" contains "google" (or a look-alike), which Cloud Storage refuses`;
  return undefined;
}

/** Scaleway Object Storage bucket naming rules: the DNS rules (no AWS-reserved affixes: it is not AWS). */
export const checkScalewayBucketName: BucketRule = checkDnsBucketName;

/** KMS alias names: alias/ then 1-250 of [a-zA-Z0-9/_-], and never the alias/aws/ prefix. */
export function checkKmsAlias(value: string): string | undefined {
  if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value)) return `KMS alias "${value}" must be alias/ followed by letters, digits, '/', '_' or '-'`;
  if (value.startsWith('alias/aws/')) return `KMS alias "${value}" uses the alias/aws/ prefix AWS reserves`;
  return undefined;
}

/** Finds values listed twice. */
export function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Turns a directory name into a default name prefix, or undefined when nothing usable is left. */
export function nameFromDirectory(dir: string): string | undefined {
  const cleaned = dir
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-0-9]+|-+$/g, '');
  return cleaned === '' ? undefined : cleaned.slice(0, 24).replace(/-+$/, '');
}
