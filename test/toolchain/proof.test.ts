// Proof that the toolchain is real: the built tofu and aws provider validate (and reject) code,
// and against moto an S3 backend with use_lockfile plus aws_kms encryption keeps state encrypted and locked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsProviderOverride, startMoto, type Moto } from '../harness/moto.js';
import { tempDir } from '../harness/tmp.js';
import { initAndValidate, tofu } from '../harness/tofu.js';
import { tofuEnv, toolchain } from '../harness/toolchain.js';

const VERSIONS = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
`;

function root(files: Record<string, string>): string {
  const dir = tempDir('cti-proof-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('toolchain: tofu and the aws provider', () => {
  const bucket = (attr: string) => `provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "state" {
  ${attr} = "proof-bucket"
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}
`;

  it('validates a root that uses hashicorp/aws resources', async () => {
    const result = await initAndValidate(root({ 'versions.tf': VERSIONS, 'main.tf': bucket('bucket') }));
    expect(result.output).toContain('The configuration is valid');
    expect(result.ok).toBe(true);
  });

  it('rejects the same root with a misspelled attribute', async () => {
    const result = await initAndValidate(root({ 'versions.tf': VERSIONS, 'main.tf': bucket('buckett') }));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Unsupported argument/);
    expect(result.output).toContain('buckett');
  });
});

describe('toolchain: S3 backend with use_lockfile and aws_kms encryption against moto', () => {
  let moto: Moto;
  const MARKER = `marker-${Date.now()}-do-not-leak`;
  const BUCKET = 'proof-state';
  const KEY = 'proof/terraform.tfstate';
  let work: string;

  beforeAll(async () => {
    moto = await startMoto();
    // Create the bucket and the key with the aws provider itself, pointed at moto.
    const setup = root({
      'versions.tf': VERSIONS,
      'main.tf': `resource "aws_s3_bucket" "state" {
  bucket = "${BUCKET}"
}

resource "aws_kms_key" "state" {
  description = "proof"
}

resource "aws_kms_alias" "state" {
  name          = "alias/proof-state"
  target_key_id = aws_kms_key.state.key_id
}
`,
      'provider_override.tf': awsProviderOverride(moto.endpoint).replace('provider "aws" {', 'provider "aws" {\n  region = "eu-west-1"'),
    });
    const init = await tofu(setup, ['init', '-input=false'], moto.env);
    expect(init.all).toContain('OpenTofu has been successfully initialized');
    const apply = await tofu(setup, ['apply', '-auto-approve', '-input=false'], moto.env);
    expect(apply.all).toContain('Apply complete');

    work = root({
      'main.tf': `terraform {
  backend "s3" {
    bucket       = "${BUCKET}"
    key          = "${KEY}"
    region       = "eu-west-1"
    use_lockfile = true

    endpoints = {
      s3  = "${moto.endpoint}"
      sts = "${moto.endpoint}"
    }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }

  encryption {
    key_provider "aws_kms" "proof" {
      kms_key_id = "alias/proof-state"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }

    method "aes_gcm" "proof" {
      keys = key_provider.aws_kms.proof
    }

    state {
      method   = method.aes_gcm.proof
      enforced = true
    }

    plan {
      method   = method.aes_gcm.proof
      enforced = true
    }
  }
}

variable "marker" {
  type = string
}

variable "hold_seconds" {
  type    = number
  default = 0
}

variable "hold_token" {
  type    = string
  default = "initial"
}

resource "terraform_data" "marker" {
  input = var.marker
}

# Replaced whenever hold_token changes; its provisioner keeps the apply (and its lock) busy.
resource "terraform_data" "hold" {
  triggers_replace = [var.hold_token]

  provisioner "local-exec" {
    command = "sleep \${var.hold_seconds}"
  }
}

output "marker" {
  value = terraform_data.marker.output
}
`,
    });
    const initMain = await tofu(work, ['init', '-input=false'], moto.env);
    expect(initMain.all).toContain('Successfully configured the backend "s3"');
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('stores the state as an encrypted envelope without the secret', async () => {
    const apply = await tofu(work, ['apply', '-auto-approve', '-input=false', `-var=marker=${MARKER}`], moto.env);
    expect(apply.all).toContain('Apply complete');
    const body = moto.s3Get(BUCKET, KEY);
    expect(body).toBeDefined();
    expect(body).not.toContain(MARKER);
    const envelope = JSON.parse(body!) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
    expect(envelope).not.toHaveProperty('resources');
    // tofu itself still reads it back through KMS.
    const output = await tofu(work, ['output', '-raw', 'marker'], moto.env);
    expect(output.stdout).toBe(MARKER);
  });

  it('refuses a second apply while the first holds the lock file', async () => {
    const first = execa(toolchain().tofu, ['apply', '-auto-approve', '-input=false', '-no-color', `-var=marker=${MARKER}`, '-var=hold_seconds=25', `-var=hold_token=${Date.now()}`], {
      cwd: work,
      env: tofuEnv(moto.env),
      all: true,
      reject: false,
    });
    // Wait until the first apply has written its lock object.
    const deadline = Date.now() + 60_000;
    while (moto.s3Get(BUCKET, `${KEY}.tflock`) === undefined) {
      if (Date.now() > deadline) throw new Error('the first apply never took the lock');
      await new Promise((r) => setTimeout(r, 250));
    }
    const second = await tofu(work, ['apply', '-auto-approve', '-input=false', '-lock-timeout=0s', `-var=marker=${MARKER}`], moto.env);
    expect(second.exitCode).not.toBe(0);
    expect(second.all).toContain('Error acquiring the state lock');
    const done = await first;
    expect(done.all).toContain('Apply complete');
    expect(moto.s3Get(BUCKET, `${KEY}.tflock`)).toBeUndefined();
  });
});
