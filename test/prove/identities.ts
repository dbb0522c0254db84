// Identities in prove: after the bootstrap apply, every environment's units run as an IAM user of
// moto holding only the CI policy bootstrap generated for that environment (its ci_policy_arns
// output), with moto's IAM enforcement on. What is checked where:
//   - moto authorizes every request (signature, action): S3, IAM and STS against the real resource
//     ARN, so state objects and lock files are enforced there;
//   - KMS and DynamoDB moto checks against "*" only: each CI user also holds the same actions on "*"
//     (so moto still checks the action), and every call the user made is recorded (moto's request
//     recorder), mapped to its real key or table ARN and condition keys (identities.py) and decided
//     after each step by the IAM simulator (test/harness/iam-policy.ts) against the environment's
//     generated policy, KMS calls with the key's own policy too; a call not allowed fails the step
//     that made it;
//   - conditions moto does not evaluate: S3 ListBucket calls are recorded and decided the same way
//     with their s3:prefix, DynamoDB lock calls with dynamodb:LeadingKeys (the lock item's key).
// The aws provider of each root keeps an admin user: what a root may create is the team's choice,
// not bootstrap's; bootstrap's policy covers state, lock and key.
import { execa } from 'execa';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../harness/iam-policy.js';
import { motoPython, type Moto, type MotoKeys, type PolicyDocument } from '../harness/moto.js';
import { tofu } from '../harness/tofu.js';

const SCRIPT = join(import.meta.dirname, 'identities.py');

interface Setup {
  admin: MotoKeys;
  account: string;
  envs: Record<string, MotoKeys & { user: string; policy_arn: string; policy: PolicyDocument }>;
  /** Each key's ARN -> its key policy, as moto holds it. */
  key_policies: Record<string, PolicyDocument>;
}

/** A recorded call of a CI user, with its real resource ARN (null: identities.py could not name it). */
interface Call {
  env: string;
  action: string;
  resource: string | null;
  context: Record<string, string>;
}

type Step = (name: string, root: string, work: () => Promise<string | void>) => Promise<void>;

/** A state object of one environment, and the key that encrypts it. */
export interface StateOf {
  env: string;
  bucket: string;
  key: string;
}

export class Identities {
  private offset = 0;
  /** Evaluated calls per environment (all allowed, or the step failed). */
  private readonly evaluated = new Map<string, number>();

  private constructor(
    private readonly moto: Moto,
    private readonly file: string,
    private readonly recording: string,
    readonly setup: Setup,
    private readonly keyArns: Record<string, string>,
  ) {}

  /** Settings for startMoto: the recorder writes here once identities start it (not before). */
  static motoEnv(parent: string): NodeJS.ProcessEnv {
    return { MOTO_RECORDER_FILEPATH: join(parent, 'moto-recording.jsonl') };
  }

  /** After the bootstrap apply: one CI user per environment, the admin for everything else, IAM enforced from then on. */
  static async start(opts: { moto: Moto; parent: string; repo: string; env: NodeJS.ProcessEnv; step: Step }): Promise<Identities> {
    let ids: Identities | undefined;
    await opts.step('CI users, IAM enforced', 'bootstrap', async () => {
      const out = await tofu(join(opts.repo, 'bootstrap'), ['output', '-json'], opts.env);
      if (out.exitCode !== 0) throw new Error(`tofu output failed:\n${out.all}`);
      const outputs = JSON.parse(out.stdout) as { ci_policy_arns?: { value: Record<string, string> }; kms_key_arns?: { value: Record<string, string> } };
      if (!outputs.ci_policy_arns) throw new Error('bootstrap has no ci_policy_arns output');
      const policies = join(opts.parent, 'ci-policies.json');
      writeFileSync(policies, JSON.stringify(outputs.ci_policy_arns.value));
      const setup = JSON.parse(await python(['setup', opts.moto.endpoint, String(opts.env.AWS_CA_BUNDLE), policies])) as Setup & {
        keys: Record<string, string>;
      };
      const file = join(opts.parent, 'identities.json');
      writeFileSync(file, JSON.stringify(setup));
      const recording = Identities.motoEnv(opts.parent).MOTO_RECORDER_FILEPATH!;
      writeFileSync(recording, '');
      ids = new Identities(opts.moto, file, recording, setup, outputs.kms_key_arns?.value ?? {});
      opts.moto.useKeys(setup.admin);
      await opts.moto.recorder('start-recording');
      await opts.moto.enforceIam();
      return `${Object.keys(setup.envs).join(', ')}: their CI policy only`;
    });
    return ids!;
  }

  /** Credentials of an environment's CI user; the admin's for anything else (bootstrap). */
  env(env: string): NodeJS.ProcessEnv {
    const keys = this.setup.envs[env] ?? this.setup.admin;
    return { AWS_ACCESS_KEY_ID: keys.id, AWS_SECRET_ACCESS_KEY: keys.secret };
  }

  get admin(): MotoKeys {
    return this.setup.admin;
  }

  /** The admin's credentials: what a person runs by hand (the README's first run), not a pipeline. */
  adminEnv(): NodeJS.ProcessEnv {
    return { AWS_ACCESS_KEY_ID: this.setup.admin.id, AWS_SECRET_ACCESS_KEY: this.setup.admin.secret };
  }

  /** Evaluates the calls CI users made since the last check; throws naming every call the generated policy does not allow. */
  async checkRecorded(): Promise<void> {
    if (statSync(this.recording).size === this.offset) return;
    const result = JSON.parse(await python(['calls', this.recording, String(this.offset), this.file])) as { offset: number; calls: Call[] };
    this.offset = result.offset;
    const refused = new Set<string>();
    // The same call repeats many times in one step: each distinct one is decided once.
    const distinct = new Map(result.calls.map((c) => [JSON.stringify(c), c]));
    for (const c of distinct.values()) {
      // A listing moto refused itself (no statement grants it, whatever the condition): tofu saw the
      // AccessDenied, and OpenTofu ignores it when it lists workspaces (opentofu#1445), as AWS would
      // make it do. Only the listings moto let through unconditioned are decided here.
      if (c.action === 's3:ListBucket' && c.resource && (await this.decide(c.env, c.action, c.resource, {}, 'without conditions')) !== 'Allowed') continue;
      const decision = c.resource === null ? 'resource not mapped' : await this.decide(c.env, c.action, c.resource, c.context);
      if (decision !== 'Allowed') refused.add(`${c.env}'s CI policy does not allow ${c.action} on ${c.resource ?? '?'}${describe(c.context)} (${decision})`);
    }
    for (const c of result.calls) this.evaluated.set(c.env, (this.evaluated.get(c.env) ?? 0) + 1);
    if (refused.size) {
      throw new Error(`recorded calls refused by the generated CI policy (IAM simulator, real resource ARN, conditions):\n  ${[...refused].join('\n  ')}`);
    }
  }

  /**
   * The simulator's decision for one request of env's CI user under its generated policy (and the
   * key's policy for KMS); 'without conditions' decides as moto does, every condition dropped.
   */
  private async decide(env: string, action: string, resource: string, context: Record<string, string> = {}, as?: 'without conditions'): Promise<string> {
    const resourcePolicy = this.setup.key_policies[resource];
    const policy = this.setup.envs[env]!.policy;
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    const unconditioned = { ...policy, Statement: statements.map(({ Condition: _, ...statement }) => statement) };
    return decide([as ? unconditioned : policy], {
      principal: `arn:aws:iam::${this.setup.account}:user/${this.setup.envs[env]!.user}`,
      action,
      resource,
      context,
      ...(resourcePolicy ? { resourcePolicy } : {}),
    });
  }

  /**
   * Each environment's CI user is denied another environment's state object (S3 GetObject in
   * moto) and key (kms:Decrypt on its ARN, evaluated), while its own are allowed.
   */
  async denials(step: Step, states: StateOf[], reads: Record<string, string[]>): Promise<void> {
    const keyArns = this.keyArns;
    for (const [env, keys] of Object.entries(this.setup.envs)) {
      const own = states.find((s) => s.env === env);
      const other = states.find((s) => s.env !== env && !(reads[env] ?? []).includes(s.env));
      if (!own || !other) continue;
      await step(`denied ${other.env}'s state`, `CI user ${env}`, async () => {
        if (this.moto.s3GetAs(keys, own.bucket, own.key) === 'denied')
          throw new Error(`${env}'s CI user cannot read its own state s3://${own.bucket}/${own.key}`);
        const got = this.moto.s3GetAs(keys, other.bucket, other.key);
        if (got !== 'denied')
          throw new Error(`${env}'s CI user read s3://${other.bucket}/${other.key}${got === undefined ? ' (no such key, not AccessDenied)' : ''}`);
        return `s3:GetObject s3://${other.bucket}/${other.key}: AccessDenied (moto)`;
      });
      if (!keyArns[env] || !keyArns[other.env]) continue;
      await step(`denied ${other.env}'s key`, `CI user ${env}`, async () => {
        const mine = await this.decide(env, 'kms:Decrypt', keyArns[env]!);
        if (mine !== 'Allowed') throw new Error(`${env}'s CI policy does not allow kms:Decrypt on its own key (${mine})`);
        for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
          const theirs = await this.decide(env, action, keyArns[other.env]!);
          if (theirs === 'Allowed') throw new Error(`${env}'s CI policy allows ${action} on ${other.env}'s key ${keyArns[other.env]}`);
        }
        return `kms:Decrypt, kms:GenerateDataKey on ${other.env}'s key: not allowed (evaluated)`;
      });
    }
    await step('recorded calls allowed', 'CI users', async () => {
      await this.checkRecorded();
      const counts = [...this.evaluated].map(([env, n]) => `${env} ${n}`).join(', ');
      return `KMS, DynamoDB and S3 ListBucket calls decided with real ARNs and conditions: ${counts || 'none'}`;
    });
  }
}

/** The environments whose state each environment reads (bootstrap/environments.auto.tfvars.json). */
export function remoteReads(repo: string): Record<string, string[]> {
  const file = JSON.parse(readFileSync(join(repo, 'bootstrap', 'environments.auto.tfvars.json'), 'utf8')) as {
    environments: Record<string, { reads?: string[] }>;
  };
  return Object.fromEntries(Object.entries(file.environments).map(([env, e]) => [env, e.reads ?? []]));
}

const describe = (context: Record<string, string>): string => {
  const keys = Object.entries(context).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return keys.length ? ` with ${keys.join(', ')}` : '';
};

async function python(args: string[]): Promise<string> {
  const r = await execa(motoPython(), [SCRIPT, ...args], { reject: false });
  if (r.exitCode !== 0) throw new Error(`identities.py ${args[0]} failed:\n${r.stderr}`);
  return r.stdout;
}
