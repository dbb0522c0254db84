// aws-types: ignore-file (aws_sqs_queue here must stay outside the build: it is the negative control)
// The aws provider the toolchain builds has only the services that templates and tests use. These
// guards make a template that starts using another service fail loudly, with the fix, instead of
// failing in a validate far away or hanging at apply.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { missingTypes, providerTypes, type ProviderTypes } from '../harness/aws-types.js';
import { tempDir } from '../harness/tmp.js';
import { initAndValidate } from '../harness/tofu.js';
import { toolchain } from '../harness/toolchain.js';

describe('toolchain: the trimmed aws provider', () => {
  let served: ProviderTypes;

  beforeAll(async () => {
    served = await providerTypes();
  });

  it('serves every resource and data source type that any template or test names', () => {
    expect(missingTypes(served)).toEqual([]);
  });

  it('is trimmed: a small fraction of the full provider, recorded in the toolchain', () => {
    const t = toolchain();
    expect(t.aws.build).toMatch(/^trimmed-[0-9a-f]{12}$/);
    expect(t.aws.services).toEqual(expect.arrayContaining(['ec2', 'iam', 'kms', 's3', 'sts']));
    // The whole provider registers about 1,500 resource types; the trimmed one a few hundred.
    expect(served.resources.size).toBeLessThan(700);
    expect(served.resources.has('aws_sqs_queue')).toBe(false);
  });

  it('names a template type outside the built services, with the command that fixes it (negative control)', () => {
    const templates = tempDir('cti-template-');
    mkdirSync(join(templates, 'modules', 'queue'), { recursive: true });
    writeFileSync(join(templates, 'modules', 'queue', 'main.tf.hbs'), 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n');
    const missing = missingTypes(served, [templates]);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain('resource aws_sqs_queue');
    expect(missing[0]).toContain(join('modules', 'queue', 'main.tf.hbs'));
    expect(missing[0]).toContain('rerun `npm run toolchain`');
  });

  it('rejects such a type in tofu validate too: the provider really lacks it', async () => {
    const dir = tempDir('cti-trimmed-');
    writeFileSync(join(dir, 'main.tf'), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n');
    const result = await initAndValidate(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/does not support resource type "aws_sqs_queue"/);
  });
});
