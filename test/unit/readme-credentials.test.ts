// The generated README's first-run credentials block, for every backend × key provider: exact
// `export NAME='<placeholder>'` lines (parsed the way prove reads them), exactly the variables the
// pipelines of the same repository read, and never a value.
import { describe, expect, it } from 'vitest';
import { BACKENDS, KEY_PROVIDERS, loadTemplates, renderRepository, resolveSpec, textOf } from '../../packages/create-tofu-infra/src/index.js';
import { readmeBlock, readmeCredentials } from '../prove/backends.js';

const templates = loadTemplates();

function render(backend: string, keyProvider: string, layout = 'directory') {
  const spec = resolveSpec(
    { name: 'acme', backend, keyProvider, layout, envs: 'dev,prod', ci: 'github,gitlab' },
    { directoryName: 'acme', generatorVersion: 'test' },
  );
  const files = renderRepository(spec, templates);
  const text = (path: string) => textOf(files.find((f) => f.path === path)!);
  return { files, readme: text('README.md'), gitlab: text('.gitlab-ci.yml'), github: text('.github/workflows/tofu-root.yml') };
}

const pairs = BACKENDS.flatMap((backend) => KEY_PROVIDERS.map((keyProvider) => [backend, keyProvider] as const));

describe.each(pairs)('--backend %s --key-provider %s', (backend, keyProvider) => {
  const { files, readme, gitlab, github } = render(backend, keyProvider);

  it('has the credentials block, every export a <placeholder>, before any other step', () => {
    const { names, commands } = readmeCredentials(readme);
    const block = readmeBlock(readme, 'Credentials, in the shell');
    // A block even when there is nothing beyond AWS: then it says so.
    if (!names.length) expect(readme).toMatch(/```sh\n\s+# nothing: the \w+ backend and the \w+ key provider need only the AWS credentials\n/);
    for (const line of block.filter((l) => l.startsWith('export '))) expect(line).toMatch(/^export [A-Z][A-Za-z0-9_]*='<[^'<>]+>'$/);
    expect(new Set(names).size).toBe(names.length);
    // Only the profile commands follow the exports, and they read the exported variables.
    for (const c of commands) for (const v of c.match(/\$(\w+)/g) ?? []) expect(names).toContain(v.slice(1));
    const firstRun = readme.slice(readme.indexOf('## First run'));
    expect(firstRun.indexOf('Credentials, in the shell')).toBeLessThan(firstRun.indexOf('```sh'));
  });

  it('exports exactly what the pipelines read (their OIDC role ARNs aside)', () => {
    const { names } = readmeCredentials(readme);
    const gitlabNames = [...gitlab.matchAll(/^#\s{3}(\w+) \((?:secret|setting)/gm)].map((m) => m[1]!);
    const stateBlock = /^\.tofu:state:\n {2}variables:\n((?: {4}.*\n)+)/m.exec(gitlab)?.[1] ?? '';
    const gitlabYaml = [...stateBlock.matchAll(/^ {4}(\w+): /gm)].map((m) => m[1]!);
    const githubEnv = [...github.matchAll(/^ {6}(\w+): \$\{\{ (?:secrets|vars)/gm)].map((m) => m[1]!);
    const githubFiles = [...github.matchAll(/echo "(\w+)=\$RUNNER_TEMP/gm)].map((m) => m[1]!);
    const pipelines = new Set([...gitlabNames, ...gitlabYaml, ...githubEnv, ...githubFiles].filter((n) => !/^AWS_(PLAN|APPLY)_ROLE_ARN$/.test(n)));
    expect(new Set(names)).toEqual(pipelines);
  });

  it('holds no credential value anywhere in the repository', () => {
    for (const f of files) {
      if (typeof f.content !== 'string') continue;
      expect(f.content, f.path).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
      expect(f.content, f.path).not.toMatch(/^\s*(access_key|secret_key|password|token)\s*=\s*"/m);
      expect(f.content, f.path).not.toMatch(/export (?:SCW_\w+|TF_VAR_\w*passphrase|BAO_TOKEN|TF_HTTP_PASSWORD)=(?!'<)/);
    }
  });
});

describe('scaleway: the backend reads its own keys, the aws provider keeps AWS', () => {
  it('names the profile in every backend block and every terraform_remote_state, never a key', () => {
    const { files, readme } = render('scaleway', 'pbkdf2', 'hybrid');
    const text = (p: string) => textOf(files.find((f) => f.path === p)!);
    const backends = files.filter((f) => f.path.endsWith('backend.tf'));
    expect(backends.length).toBeGreaterThan(1);
    for (const f of backends) expect(textOf(f), f.path).toMatch(/^\s+profile = "scaleway"$/m);
    const remote = text('services/app/envs/dev/main.tf');
    expect(remote).toMatch(/data "terraform_remote_state" "shared"[\s\S]*profile\s+= "scaleway"/);
    expect(readmeCredentials(readme).commands).toEqual([
      'aws configure set aws_access_key_id "$SCW_ACCESS_KEY" --profile scaleway',
      'aws configure set aws_secret_access_key "$SCW_SECRET_KEY" --profile scaleway',
    ]);
    // The buckets are created with the same profile.
    for (const line of readmeBlock(readme, 'Create the state buckets')) expect(line).toMatch(/--profile scaleway$/);
  });

  it('both pipelines write the profile from the environment-scoped SCW_* secrets before init', () => {
    const { gitlab, github } = render('scaleway', 'none');
    expect(gitlab).toMatch(/#\s{3}SCW_ACCESS_KEY \(secret, per environment\)/);
    expect(gitlab).toMatch(/#\s{3}SCW_SECRET_KEY \(secret, per environment\)/);
    expect(gitlab).toContain(
      `printf '[scaleway]\\naws_access_key_id = %s\\naws_secret_access_key = %s\\n' "$SCW_ACCESS_KEY" "$SCW_SECRET_KEY" >~/.aws/credentials`,
    );
    expect(github).toContain("SCW_ACCESS_KEY: ${{ secrets[format('SCW_ACCESS_KEY_{0}', inputs.key)] }}");
    // plan, apply and drift: each writes the profile before its init.
    const jobs = github.split(/^ {2}(?=plan:|apply:|drift:)/m).slice(1);
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.indexOf('>~/.aws/credentials')).toBeGreaterThan(0);
      expect(job.indexOf('>~/.aws/credentials')).toBeLessThan(job.indexOf('tofu init'));
    }
  });
});

describe('gcs: no bootstrap makes the buckets, the README says exactly what to create', () => {
  it.each(['gcp_kms', 'aws_kms', 'none'])('--key-provider %s', (keyProvider) => {
    const { files, readme } = render('gcs', keyProvider);
    const buckets = files.filter((f) => f.path.endsWith('backend.tf')).map((f) => /bucket = "([^"]+)"/.exec(textOf(f))![1]!);
    const created = readmeBlock(readme, 'Create the state buckets')
      .map((l) => /^gcloud storage buckets create gs:\/\/(\S+) /.exec(l)?.[1])
      .filter(Boolean);
    expect(new Set(created)).toEqual(new Set(buckets));
    // bootstrap/ (aws_kms only) makes no bucket of the environments: the table must not say it does.
    expect(/^\| `bootstrap\/` \|.*$/m.exec(readme)?.[0] ?? '').not.toMatch(/state buckets/);
    expect(readme).toMatch(/Create the state buckets in Cloud Storage: nothing here creates them/);
    if (keyProvider === 'gcp_kms') {
      const encryption = textOf(files.find((f) => f.path === 'environments/dev/encryption.tf')!);
      const ring = /keyRings\/([^/]+)\/cryptoKeys/.exec(encryption)![1]!;
      const kms = readmeBlock(readme, 'Create the key ring');
      expect(kms).toContain(`gcloud kms keyrings create ${ring} --location europe-west1 --project "$TF_VAR_gcp_kms_project"`);
      for (const env of ['dev', 'prod'])
        expect(kms).toContain(
          `gcloud kms keys create state-${env} --keyring ${ring} --location europe-west1 --purpose encryption --project "$TF_VAR_gcp_kms_project"`,
        );
      expect(readmeCredentials(readme).names).toContain('TF_VAR_gcp_kms_project');
    }
  });
});

describe('hybrid: shared/ runs with its own secret', () => {
  it('pbkdf2: the shared line takes shared passphrase from the variable the credentials block exports', () => {
    const { readme } = render('s3', 'pbkdf2', 'hybrid');
    const shared = readmeBlock(readme, 'Plan and apply an environment')[0]!;
    expect(shared).toMatch(/^\(cd shared && export TF_VAR_state_passphrase="\$TF_VAR_shared_state_passphrase" && tofu init && tofu apply\)/);
    expect(readmeCredentials(readme).names).toEqual(['TF_VAR_state_passphrase', 'TF_VAR_shared_state_passphrase']);
  });

  it('aws_kms: nothing to take over (the key follows the root)', () => {
    const { readme } = render('s3', 'aws_kms', 'hybrid');
    expect(readmeBlock(readme, 'Plan and apply an environment')[0]).toMatch(/^\(cd shared && tofu init && tofu apply\)/);
  });
});
