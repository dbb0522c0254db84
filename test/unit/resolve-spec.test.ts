import { describe, expect, it } from 'vitest';
import { resolveSpec } from '../../packages/create-tofu-infra/src/repository/resolve.js';
import { UsageError } from '../../packages/create-tofu-infra/src/spec/errors.js';
import { dirname } from 'node:path';
import { AWS_REGIONS, checkRegion, checkSpec, loadTemplates, regionSpecs, renderRepository } from '../../packages/create-tofu-infra/src/index.js';
import { tofuDirectories } from '../../packages/create-tofu-infra/src/repository/check.js';

const ctx = { directoryName: 'acme-infra', generatorVersion: '0.0.0-test' };

function problems(raw: Parameters<typeof resolveSpec>[0], c = ctx): string[] {
  try {
    resolveSpec(raw, c);
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  return [];
}

describe('resolveSpec', () => {
  it('fills the documented defaults', () => {
    const spec = resolveSpec({}, ctx);
    expect(spec).toMatchObject({
      name: 'acme-infra',
      layout: 'directory',
      envs: ['dev', 'staging', 'prod'],
      regions: [{ name: 'eu-west-1', vpcCidr: '10.0.0.0/16' }],
      services: [],
      modules: ['network', 'database', 'application'],
      backend: 's3',
      lock: 'lockfile',
      keyProvider: 'aws_kms',
      ci: ['gitlab', 'github'],
      owners: ['@your-org/platform-team'],
    });
  });

  it('takes code owners as @user, @org/team (GitLab: @group/subgroup) or e-mail', () => {
    expect(resolveSpec({ owners: '@acme/platform,@octocat,@acme/infra/sre,ops@acme.example' }, ctx).owners).toEqual([
      '@acme/platform',
      '@octocat',
      '@acme/infra/sre',
      'ops@acme.example',
    ]);
  });

  it('gives each region its own /16, primary first', () => {
    const spec = resolveSpec({ regions: 'eu-west-1,eu-central-1,us-east-1' }, ctx);
    expect(spec.regions.map((r) => r.vpcCidr)).toEqual(['10.0.0.0/16', '10.16.0.0/16', '10.32.0.0/16']);
  });

  it('derives the name from the directory and takes --name over it', () => {
    expect(resolveSpec({}, { ...ctx, directoryName: 'My_Infra' }).name).toBe('my-infra');
    expect(resolveSpec({ name: 'acme' }, ctx).name).toBe('acme');
  });

  it('defaults services to app in the hybrid layout only', () => {
    expect(resolveSpec({ layout: 'hybrid' }, ctx).services).toEqual(['app']);
    expect(resolveSpec({ layout: 'directory' }, ctx).services).toEqual([]);
  });

  it('has no lock setting for backends other than s3', () => {
    expect(resolveSpec({ backend: 'gcs' }, ctx).lock).toBeUndefined();
  });

  it('keeps the repositories the CI roles trust, with gitlab.com as the default GitLab host', () => {
    const spec = resolveSpec({ githubRepo: 'acme/infra', gitlabProject: 'acme/platform/infra' }, ctx);
    expect([spec.githubRepo, spec.gitlabProject, spec.gitlabHost]).toEqual(['acme/infra', 'acme/platform/infra', 'gitlab.com']);
    expect(resolveSpec({}, ctx)).not.toHaveProperty('githubRepo');
  });

  it('reads --ci none as no pipelines', () => {
    expect(resolveSpec({ ci: 'none' }, ctx).ci).toEqual([]);
  });

  it.each([
    [{ envs: 'Dev' }, /environment name "Dev" has uppercase letters/],
    [{ envs: 'dev,my env' }, /contains a space/],
    [{ envs: 'dev/x' }, /contains a path separator/],
    [{ envs: 'dev,dev' }, /"dev" is listed more than once/],
    [{ envs: 'dev,,prod' }, /environment name is empty/],
    [{ layout: 'workspace', envs: 'default,prod' }, /"default" cannot be an environment in the workspace layout/],
    [{ layout: 'hybrid', envs: 'shared,prod' }, /--envs: "shared" cannot be an environment in the hybrid layout: it is the shared root's/],
    [{ regions: 'eu_west_1' }, /region "eu_west_1" is not an AWS region name/],
    [{ regions: 'eu-west-1,eu-west-1' }, /"eu-west-1" is listed more than once/],
    [{ layout: 'flat' }, /--layout "flat" is not valid. Valid values: workspace, directory, hybrid/],
    [{ backend: 'azurerm' }, /--backend "azurerm" is not valid/],
    [{ keyProvider: 'vault' }, /--key-provider "vault" is not valid/],
    [{ ci: 'jenkins' }, /--ci "jenkins" is not valid/],
    [{ ci: 'none,github' }, /--ci none cannot be combined/],
    [{ modules: 'cache' }, /--modules "cache" is not a module/],
    [{ modules: 'database' }, /runs inside the network module's VPC: add network/],
    [{ backend: 'gcs', lock: 'dynamodb' }, /--lock only applies to --backend s3/],
    [{ lock: 'redis' }, /--lock "redis" is not valid/],
    [{ services: 'api' }, /--services only applies to --layout hybrid/],
    [{ layout: 'hybrid', services: 'API' }, /service name "API" has uppercase letters/],
    [{ name: 'Acme' }, /--name name "Acme" has uppercase letters/],
    [{ owners: 'platform-team' }, /--owners "platform-team" is not a code owner. Use @user, @org\/team or an e-mail address/],
    [{ owners: '@acme/platform,@' }, /--owners "@" is not a code owner/],
    [{ name: 'a'.repeat(30), envs: 'production-europe-west' }, /must be 3 to 63 characters long/],
    [{ name: 'a'.repeat(32), envs: 'production-eu-x', githubRepo: 'acme/infra' }, /is 66 characters; AWS allows 64/],
    [{ githubRepo: 'acme' }, /--github-repo "acme" is not a GitHub repository. Use owner\/name/],
    [{ gitlabProject: 'acme/infra', gitlabHost: 'gitlab.example.com/x' }, /--gitlab-host "gitlab.example.com\/x" is not a host name/],
  ])('rejects %o', (raw, message) => {
    const found = problems(raw);
    expect(found.join('\n')).toMatch(message);
  });

  it.each(['', ' , '])('says --modules %j is empty, once (not also "is not a module")', (modules) => {
    expect(problems({ modules })).toEqual(['--modules is empty: name at least one. Valid modules: network, database, application (comma-separated)']);
  });

  it('says an unknown module is not a module, and no more', () => {
    expect(problems({ modules: 'none' })).toEqual(['--modules "none" is not a module. Valid modules: network, database, application (comma-separated)']);
  });

  it('reports every problem at once', () => {
    expect(problems({ envs: 'Dev', regions: 'mars', layout: 'flat' })).toHaveLength(3);
  });

  it('asks for --name when the directory name gives nothing usable', () => {
    expect(problems({}, { ...ctx, directoryName: '___' }).join()).toMatch(/pass --name/);
  });
});

describe('checkSpec', () => {
  const spec = resolveSpec({ name: 'acme' }, ctx);

  it('accepts what resolveSpec resolved', () => {
    expect(checkSpec(spec)).toEqual([]);
  });

  it('holds a spec built by hand (as the Nx generators build them) to the same rules', () => {
    expect(checkSpec({ ...spec, layout: 'hybrid', services: ['app'], envs: ['dev', 'shared'] })).toEqual([
      '--envs: "shared" cannot be an environment in the hybrid layout: it is the shared root\'s, whose state and key are named after it. Pick another name (e.g. dev)',
    ]);
    expect(checkSpec({ ...spec, envs: ['dev', 'dev'] })).toEqual(['--envs: "dev" is listed more than once']);
    expect(checkSpec({ ...spec, modules: ['database'] })).toEqual([
      "--modules database runs inside the network module's VPC: add network (e.g. --modules network,database)",
    ]);
    expect(checkSpec({ ...spec, name: 'a'.repeat(32), envs: ['production-europe-west-1'] })).toEqual([
      `bucket name "${'a'.repeat(32)}-tofu-state-production-europe-west-1" must be 3 to 63 characters long (it is 68), by the S3 bucket naming rules (--backend s3): change --name or the environment name`,
    ]);
  });
});

describe('checkSpec: names after every mapping, real regions, per-backend rules, the CIDR plan', () => {
  const spec = resolveSpec({ name: 'acme' }, ctx);

  it('refuses a region missing from the AWS list, with the list and its date, unless allowed', () => {
    const regions = regionSpecs(['eu-west-1', 'eu-west-9']);
    const [problem] = checkSpec({ ...spec, regions });
    expect(problem).toContain('region "eu-west-9" is not in the AWS region list of this version');
    expect(problem).toContain(`${AWS_REGIONS.source}, ${AWS_REGIONS.date}`);
    expect(problem).toContain('known eu-west-*: eu-west-1, eu-west-2, eu-west-3');
    expect(problem).toContain('--allow-unknown-region');
    expect(checkSpec({ ...spec, regions }, { allowUnknownRegions: true })).toEqual([]);
    // Every partition's regions are real ones.
    expect(checkSpec({ ...spec, regions: regionSpecs(['us-gov-west-1', 'cn-north-1', 'eusc-de-east-1']) })).toEqual([]);
  });

  it('keeps the region list sorted, unique and well-formed', () => {
    const names = [...AWS_REGIONS.names];
    expect(names).toEqual([...new Set(names)].sort());
    expect(names.filter((n) => checkRegion(n) !== undefined)).toEqual([]);
    expect(names.length).toBeGreaterThan(30);
  });

  it('refuses two directories mapping to one Nx project, CI job and state name', () => {
    const hybrid = { ...spec, layout: 'hybrid', services: ['a', 'a-envs-b'], envs: ['b-envs-c', 'c'] };
    expect(checkSpec(hybrid)).toEqual([
      `--envs/--services: services/a/envs/b-envs-c and services/a-envs-b/envs/c would both be named "services-a-envs-b-envs-c" (Nx project, CI job and state name: '/' becomes '-'). Rename an environment or service so that no two paths map to one name`,
    ]);
    expect(checkSpec({ ...hybrid, envs: ['b', 'c'] })).toEqual([]);
  });

  it.each([
    ['s3', 'sthree-x', /uses a prefix AWS reserves, by the S3 bucket naming rules/],
    ['gcs', 'google-infra', /starts with "goog", which Cloud Storage reserves/],
    ['gcs', 'my-g00gle', /contains "google" \(or a look-alike\)/],
  ])('applies the %s bucket rules to --name %s', (backend, name, message) => {
    const problems = checkSpec({ ...spec, backend, lock: backend === 's3' ? 'lockfile' : undefined, name });
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(message);
  });

  it.each([
    ['gcs', 'sthree-x'],
    ['scaleway', 'sthree-x'],
    ['scaleway', 'google-infra'],
    ['s3', 'google-infra'],
  ])('does not hold %s to another store’s rules (--name %s)', (backend, name) => {
    expect(checkSpec({ ...spec, backend, lock: backend === 's3' ? 'lockfile' : undefined, name })).toEqual([]);
  });

  it('refuses regions beyond the CIDR plan, and CIDRs outside it or shared', () => {
    expect(problems({ regions: AWS_REGIONS.names.slice(0, 17).join(',') })).toEqual([
      '--regions: 17 regions given; at most 16 fit the 10.0.0.0/8 VPC plan (a block of 16 /16s each)',
    ]);
    const beyond = [...regionSpecs(['eu-west-1']), { name: 'eu-west-2', vpcCidr: '10.256.0.0/16' }];
    expect(checkSpec({ ...spec, regions: beyond })).toEqual([
      '--regions: region "eu-west-2" has the VPC CIDR "10.256.0.0/16", outside the plan: 10.<n>.0.0/16 with n one of 0, 16, ..., 240 (at most 16 regions)',
    ]);
    const shared = [...regionSpecs(['eu-west-1']), { name: 'eu-west-2', vpcCidr: '10.0.0.0/16' }];
    expect(checkSpec({ ...spec, regions: shared })).toEqual(['--regions: regions "eu-west-1" and "eu-west-2" share the VPC CIDR block of 10.0.0.0/16']);
  });
});

describe('the directories whose project names checkSpec compares', () => {
  it.each(['directory', 'workspace', 'hybrid'])('are every directory with .tf files of the %s layout', (layout) => {
    const spec = resolveSpec({ name: 'acme', layout }, ctx);
    const rendered = new Set(renderRepository(spec, loadTemplates()).flatMap((f) => (f.path.endsWith('.tf') ? [dirname(f.path)] : [])));
    expect(new Set(tofuDirectories(spec))).toEqual(rendered);
  });
});

describe('--accounts', () => {
  const accounts = { dev: '111111111111', prod: '222222222222' };

  it('resolves env=id pairs into the spec, and nothing when absent', () => {
    expect(resolveSpec({ name: 'acme', envs: 'dev,prod', accounts: 'dev=111111111111, prod=222222222222' }, ctx).accounts).toEqual(accounts);
    expect(resolveSpec({ name: 'acme', envs: 'dev,prod' }, ctx)).not.toHaveProperty('accounts');
  });

  it('holds a spec built by hand (a generator adding an environment) to the same rules', () => {
    const spec = resolveSpec({ name: 'acme', envs: 'dev,prod', accounts: 'dev=111111111111,prod=222222222222' }, ctx);
    expect(checkSpec({ ...spec, envs: [...spec.envs, 'qa'] })).toEqual([
      '--accounts names no account for qa: every environment needs one. Use env=account-id pairs, comma-separated, one per environment (e.g. --accounts dev=111111111111,prod=222222222222)',
    ]);
    expect(checkSpec({ ...spec, envs: ['dev'] })).toEqual([
      '--accounts names "prod", which is not an environment (environments: dev). Use env=account-id pairs, comma-separated, one per environment (e.g. --accounts dev=111111111111,prod=222222222222)',
    ]);
  });

  // Hybrid: a service root in one account reads the shared root's state in another. Statically:
  // the read goes through the shared account's role, for the state object and for its key.
  it("reads the hybrid shared state and its key as the shared account's role, and its own in its own account", () => {
    const spec = resolveSpec(
      { name: 'acme', layout: 'hybrid', envs: 'dev', modules: 'network', ci: 'none', accounts: 'dev=111111111111,shared=333333333333' },
      ctx,
    );
    const files = renderRepository(spec, loadTemplates());
    const text = (path: string) => files.find((f) => f.path === path)!.content as string;
    const service = 'services/app/envs/dev';
    const sharedRole = 'role_arn = "arn:aws:iam::333333333333:role/${var.account_role_name}"';
    const devRole = 'role_arn = "arn:aws:iam::111111111111:role/${var.account_role_name}"';
    const remoteState = text(`${service}/main.tf`).match(/data "terraform_remote_state" "shared" \{[\s\S]*?\n\}/)![0];
    expect(remoteState).toContain(`assume_role = { ${sharedRole} }`);
    const encryption = text(`${service}/encryption.tf`);
    expect(encryption.match(/key_provider "aws_kms" "shared" \{[\s\S]*?\n    \}/)![0]).toContain(sharedRole);
    expect(encryption.match(/key_provider "aws_kms" "dev" \{[\s\S]*?\n    \}/)![0]).toContain(devRole);
    expect(text(`${service}/backend.tf`)).toContain(devRole);
    expect(text(`${service}/providers.tf`)).toContain('allowed_account_ids = ["111111111111"]');
    expect(text('shared/providers.tf')).toContain('allowed_account_ids = ["333333333333"]');
    expect(JSON.parse(text('bootstrap/environments.auto.tfvars.json')).environments.shared.account_id).toBe('333333333333');
  });

  // The reader roles CI needs for that read (run in e2e/accounts-hybrid-moto.test.ts): only where a
  // root reads another account's state, so every other rendering stays as it was.
  it.each([
    ['hybrid', 'dev=111111111111,shared=333333333333', true],
    ['hybrid', undefined, false],
    ['directory', 'dev=111111111111', false],
  ])('renders bootstrap/ci-readers.tf and its output for --layout %s --accounts %s: %s', (layout, accounts, readers) => {
    const spec = resolveSpec({ name: 'acme', layout, envs: 'dev', modules: 'network', ci: 'github', ...(accounts ? { accounts } : {}) }, ctx);
    const files = renderRepository(spec, loadTemplates());
    expect(files.some((f) => f.path === 'bootstrap/ci-readers.tf')).toBe(readers);
    expect((files.find((f) => f.path === 'bootstrap/outputs.tf')!.content as string).includes('output "ci_reader_role_arns"')).toBe(readers);
  });
});
