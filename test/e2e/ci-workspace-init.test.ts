// The generated GitLab jobs of the workspace layout, their scripts run as written against moto:
// init runs with TF_WORKSPACE unset, then `workspace select -or-create=true` makes a workspace that
// does not exist yet, and TF_VAR_new_workspace makes its first state use its own environment's key
// (read back from the state envelope: moto's KMS ciphertext starts with the key's id). Negative
// control: the former order, TF_WORKSPACE set before init, fails for a workspace the backend does
// not have yet once it has another.
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAgainstMoto, pointAtMoto, scaffold, tofuOk } from '../harness/generated.js';
import { expand, gitlabJobs, yamlOf, type JobInstance } from '../harness/ci-pipelines.js';
import { startMoto, type Moto } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';
import { tofuEnv } from '../harness/toolchain.js';

const BUCKET = 'acme-tofu-state';

/** The KMS key id an aws_kms envelope's data key was encrypted with (moto: the first 36 bytes of the ciphertext blob). */
function keyIdOf(envelope: string): string {
  const meta = (JSON.parse(envelope) as { meta: Record<string, string> }).meta;
  const entry = Object.entries(meta).find(([k]) => k.startsWith('key_provider.aws_kms.'))!;
  const blob = (JSON.parse(Buffer.from(entry[1], 'base64').toString('utf8')) as { ciphertext_blob: string }).ciphertext_blob;
  return Buffer.from(blob, 'base64').subarray(0, 36).toString('utf8');
}

describe('workspace layout: the GitLab jobs create and select a new workspace after init', () => {
  let moto: Moto;
  let repo: string;
  let jobs: JobInstance[];
  let keys: Record<string, string>;

  /**
   * Runs one job instance's script in sh, in the repository, as the runner would: from a fresh
   * checkout, so no workspace is selected yet (.terraform/environment is not kept between jobs; the
   * plugin cache is, to save time, and selects nothing). With moto's keys instead of the ID-token
   * setup of before_script, which refuses stored keys (ci-gitlab-local runs it, with roles).
   */
  async function runJob(prefix: string, env: string) {
    rmSync(join(repo, 'infra', '.terraform', 'environment'), { force: true });
    const j = jobs.find((x) => x.job.startsWith(`${prefix}:`) && x.matrix.TOFU_ENV === env)!;
    const variables = Object.fromEntries(Object.entries(j.def.variables as Record<string, string>).map(([k, v]) => [k, expand(String(v), j.matrix)]));
    return execa('sh', ['-ec', (j.def.script as string[]).join('\n')], {
      cwd: repo,
      env: tofuEnv({ ...moto.env, ...j.matrix, ...variables, AWS_ROLE_ARN: '', TF_CLI_ARGS_init: '-backend-config=moto.s3.tfbackend' }),
      all: true,
      reject: false,
    });
  }

  beforeAll(async () => {
    moto = await startMoto();
    repo = await scaffold(['--name', 'acme', '--layout', 'workspace', '--envs', 'dev,prod', '--modules', 'network', '--ci', 'gitlab']);
    await bootstrapAgainstMoto(repo, moto);
    pointAtMoto(join(repo, 'infra'), moto, { byRegion: true });
    jobs = gitlabJobs(yamlOf(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8'), '.gitlab-ci.yml'));
    const out = await tofuOk(join(repo, 'bootstrap'), ['output', '-json', 'kms_key_arns'], moto.env);
    keys = JSON.parse(out.slice(out.indexOf('{'))) as Record<string, string>;
  });
  afterAll(async () => moto?.stop());

  it('plan creates each workspace after init, apply applies its saved plan, each state under its own key', async () => {
    for (const env of ['prod', 'dev']) {
      if (env === 'dev') {
        // Negative control, the former order: TF_WORKSPACE naming a workspace the backend does not
        // have yet (prod exists now), set before init.
        const before = await tofu(join(repo, 'infra'), ['init', '-input=false', '-backend-config=moto.s3.tfbackend'], { ...moto.env, TF_WORKSPACE: 'dev' });
        expect(before.exitCode, before.all).not.toBe(0);
      }
      const plan = await runJob('plan', env);
      expect(plan.exitCode, plan.all).toBe(0);
      expect(plan.all).toMatch(new RegExp(`witched to workspace "${env}"`));
      const apply = await runJob('apply', env);
      expect(apply.exitCode, apply.all).toBe(0);
      expect(apply.all).toContain('Apply complete!');
      const state = moto.s3Get(BUCKET, `env:/${env}/terraform.tfstate`)!;
      expect(Object.keys(JSON.parse(state) as object)).toEqual(expect.arrayContaining(['encrypted_data', 'meta']));
      const other = env === 'prod' ? 'dev' : 'prod';
      expect(keys[env]!.endsWith(`/${keyIdOf(state)}`), `${env} state under the ${env} key (${keys[env]})`).toBe(true);
      expect(keys[other]!.endsWith(`/${keyIdOf(state)}`)).toBe(false);
    }
    // Planned again, the workspace exists: selected, and the plan reads its state.
    const again = await runJob('plan', 'prod');
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('No changes.');
  });
});
