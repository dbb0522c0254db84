/** Options as typed: `nx g @create-tofu-infra/nx:upgrade [--baseFrom <path>] [--conflict markers|rej]`. */
export interface UpgradeSchema {
  baseFrom?: string;
  conflict?: 'markers' | 'rej';
}
