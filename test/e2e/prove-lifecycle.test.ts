// The lifecycle proof, run by `npm test`: every layout lives its whole life against moto with the
// modules (VPC, subnets, NAT, RDS, launch template, autoscaling), and a state-only matrix covers the
// layout x backend x key provider pairs and lock kinds that have an emulator, three of its lives grown
// through the nx generators (test/prove/lives.ts). A failing case prints prove's summary.
// Negative controls break generated files in ways `tofu validate` cannot see. Full lives use two
// environments, dev and prod (prod differs: multi-AZ, deletion protection); a third is the same
// shape as dev and would add about three minutes of the provider's RDS waits per layout.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_LIVES, STATE_ONLY_LIVES } from '../prove/lives.js';
import { prove, summary } from '../prove/prove.js';

/**
 * A full life waits on the aws provider's RDS create and delete pollers (about 90 s each) per
 * environment; growth re-applies bootstrap and lives a third environment. Eighteen lives, five at a
 * time, share two cores with the other e2e files, so one life may take twice its time alone.
 */
const LIFE_TIMEOUT_MS = 30 * 60_000;
const log = process.env.PROVE_LOG ? (line: string) => console.error(line) : undefined;

describe.concurrent('prove: the whole life of each layout, modules included', () => {
  it.each(FULL_LIVES.map((l) => [l.name, l.flags] as const))(
    '%s',
    async (_layout, flags) => {
      const report = await prove([...flags], { log });
      expect(report.ok, summary(report)).toBe(true);
      expect(report.results.map((r) => r.step)).toEqual(expect.arrayContaining(['apply', 'idempotent plan', 'state is an envelope', 'destroy']));
    },
    LIFE_TIMEOUT_MS,
  );
});

// The pairs each life covers, and why there are nine: test/prove/lives.ts, checked by test/unit/prove-lives.test.ts.
describe.concurrent('prove: state-only lives (network module) over the remaining pairs, growth in one per layout', () => {
  it.each(STATE_ONLY_LIVES.map((l) => [l.name, l] as const))(
    '%s',
    async (_name, life) => {
      const report = await prove([...life.flags], { log, grow: life.grow });
      expect(report.ok, summary(report)).toBe(true);
      if (life.grow)
        expect(report.results.map((r) => r.step)).toEqual(
          expect.arrayContaining([
            'nx g add-environment',
            'bootstrap apply (new env)',
            'remove-region --drop + apply',
            expect.stringMatching(/^nx g key-change rotate/),
          ]),
        );
    },
    LIFE_TIMEOUT_MS,
  );
});

describe.concurrent('prove --grow: negative control (the grown lives are in the state-only table)', () => {
  it(
    'negative control: a region dropped in one step (no disable-and-apply first) fails',
    async () => {
      const report = await prove(['--modules', 'network', '--envs', 'dev', '--ci', 'none'], {
        log,
        grow: true,
        // dev's own life adds nothing to this control: the directory layout's lives are in the tables above.
        growthOnly: true,
        // What remove-region's two steps exist to avoid: the region's entry gone while its resources live.
        sabotageGrowth: (repo, generator) => {
          if (generator !== 'remove-region eu-west-2') return;
          const file = join(repo, 'environments', 'qa', 'regions.auto.tfvars.json');
          const regions = JSON.parse(readFileSync(file, 'utf8')) as { regions: Record<string, unknown> };
          delete regions.regions['eu-west-2'];
          writeFileSync(file, JSON.stringify(regions, null, 2));
        },
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.step).toBe('nx g remove-region + apply');
      expect(failed.detail).toMatch(/provider|eu-west-2/i);
    },
    LIFE_TIMEOUT_MS,
  );
});

describe.concurrent('prove: negative controls (validate passes, the life does not)', () => {
  const edit = (file: string, from: string | RegExp, to: string) => {
    const text = readFileSync(file, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`sabotage did not apply to ${file}`);
    writeFileSync(file, next);
  };

  it(
    'a lock table that bootstrap does not create',
    async () => {
      const report = await prove(['--layout', 'workspace', '--lock', 'dynamodb', '--modules', 'network', '--envs', 'dev', '--ci', 'none'], {
        log,
        sabotage: (repo) => edit(join(repo, 'infra', 'backend.tf'), /dynamodb_table = "([^"]+)"/, 'dynamodb_table = "$1-typo"'),
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toContain('infra');
      expect(failed.detail).toMatch(/ResourceNotFoundException|lock/i);
    },
    LIFE_TIMEOUT_MS,
  );

  it(
    'an IAM action removed from a CI policy (enforced by moto)',
    async () => {
      // Without s3:DeleteObject the CI user cannot release its lock file: the first locking step fails.
      const report = await prove(['--modules', 'network', '--envs', 'dev', '--ci', 'none'], {
        log,
        sabotage: (repo) => edit(join(repo, 'bootstrap', 'main.tf'), '["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]', '["s3:GetObject", "s3:PutObject"]'),
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('environments/dev');
      expect(failed.step).toMatch(/plan/);
      expect(failed.detail).toMatch(/AccessDenied/);
    },
    LIFE_TIMEOUT_MS,
  );

  it(
    'a CI policy granting another key (evaluated from the recorded calls)',
    async () => {
      // moto checks KMS against "*" only: the recorded GenerateDataKey on dev's real key ARN is what
      // fails, already at init (OpenTofu sets up its key providers there).
      const report = await prove(['--modules', 'network', '--envs', 'dev', '--ci', 'none'], {
        log,
        sabotage: (repo) => edit(join(repo, 'bootstrap', 'main.tf'), '[aws_kms_key.state[each.value.env].arn] : []', '[aws_kms_key.home.arn] : []'),
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('environments/dev');
      expect(failed.step).toBe('init');
      expect(failed.detail).toMatch(/dev's CI policy does not allow kms:GenerateDataKey/);
    },
    LIFE_TIMEOUT_MS,
  );

  it(
    'a workspace CI policy that may not list env:/ (s3:prefix condition, decided from the recorded calls)',
    async () => {
      // moto skips ListBucket's s3:prefix condition: the recorded listing tofu makes on workspace
      // new/select (prefix "env:/") is what the IAM simulator refuses once the grant is gone.
      const report = await prove(['--layout', 'workspace', '--modules', 'network', '--envs', 'dev', '--ci', 'none'], {
        log,
        sabotage: (repo) =>
          edit(
            join(repo, 'bootstrap', 'main.tf'),
            'concat(["${each.value.state_prefix}*"], startswith(each.value.state_prefix, "env:/") ? ["env:/"] : [])',
            '["${each.value.state_prefix}*"]',
          ),
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('infra (dev)');
      expect(failed.step).toBe('init');
      expect(failed.detail).toMatch(/dev's CI policy does not allow s3:ListBucket on arn:aws:s3:::[^ ]+ with s3:prefix="env:\/"/);
    },
    LIFE_TIMEOUT_MS,
  );

  it(
    'hybrid + scaleway: a remote state without the Scaleway endpoint (reads AWS S3) fails',
    async () => {
      const report = await prove(
        ['--layout', 'hybrid', '--backend', 'scaleway', '--key-provider', 'none', '--modules', 'network', '--envs', 'dev', '--ci', 'none'],
        {
          log,
          sabotage: (repo) => edit(join(repo, 'services', 'app', 'envs', 'dev', 'main.tf'), /\n\s*endpoints\s*=\s*\{ s3 = "[^"]+" \}/, ''),
        },
      );
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('services/app/envs/dev');
      expect(failed.step).toMatch(/plan/);
      expect(failed.detail).toMatch(/Unable to read remote state|terraform_remote_state/);
    },
    LIFE_TIMEOUT_MS,
  );

  it(
    'a remote state key that shared/ does not write',
    async () => {
      const report = await prove(['--layout', 'hybrid', '--modules', 'network', '--envs', 'dev', '--ci', 'none', '--key-provider', 'none'], {
        log,
        sabotage: (repo) =>
          edit(join(repo, 'services', 'app', 'envs', 'dev', 'main.tf'), 'key    = "shared/terraform.tfstate"', 'key    = "shared/terraform.tfstat"'),
      });
      expect(report.ok).toBe(false);
      const failed = report.results.find((r) => !r.ok)!;
      expect(failed.root).toBe('services/app/envs/dev');
      expect(failed.step).toMatch(/plan/);
    },
    LIFE_TIMEOUT_MS,
  );
});
