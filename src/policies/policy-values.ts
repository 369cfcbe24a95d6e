import type { Config } from '../config';
import { readSandboxFixtures, type SandboxFixtures } from '../dfns/credentials';

/** The org-specific values that fill a policy file's `{"$org": …}` placeholders. */
export interface PolicyValues {
  /** Approver user ids, in order: `{"$org": "approvers", "count": n}` takes the first n. */
  approverIds: string[];
  /** The compliance group's user ids: `{"$org": "complianceApprovers", "count": n}` takes the first n. */
  complianceApproverIds?: string[];
  /** Recipient addresses; empty means the whitelist rule triggers for every transfer (Dfns semantics). */
  recipientWhitelist: string[];
  /** Wallets the policies are limited to; empty means no filter (every wallet of the org). */
  walletIds: string[];
  /** Minutes before an undecided approval is rejected. */
  autoRejectTimeout: number;
  /** Where each list came from, for the plan's header. */
  sources: { approverIds: string; recipientWhitelist: string; walletIds: string; complianceApproverIds?: string };
}

/**
 * Takes each value from its variable; when a variable is unset and the sandbox credentials file is in use
 * (no DFNS_AUTH_TOKEN), the approvers and wallets the sandbox bootstrap created stand in.
 */
export function resolvePolicyValues(
  config: Config,
  readFixtures: (config: Config) => SandboxFixtures = readSandboxFixtures,
): PolicyValues {
  const sandbox = !config.DFNS_AUTH_TOKEN;
  const needsFixtures =
    sandbox &&
    (!config.DFNS_APPROVER_USER_IDS || !config.POLICY_WALLET_IDS || !config.DFNS_COMPLIANCE_APPROVER_USER_IDS);
  const fixtures = needsFixtures ? readFixtures(config) : undefined;

  const approverIds = config.DFNS_APPROVER_USER_IDS ?? fixtures?.approvers.map((approver) => approver.userId) ?? [];
  const walletIds = config.POLICY_WALLET_IDS ?? fixtures?.walletIds ?? [];
  const recipientWhitelist = config.PAYMENT_RECIPIENT_WHITELIST ?? [];
  // In the sandbox the compliance group is the bootstrap approvers from the last: approver-3 first, apart from the
  // treasury group's approver-1 and approver-2.
  const complianceApproverIds =
    config.DFNS_COMPLIANCE_APPROVER_USER_IDS ?? [...(fixtures?.approvers ?? [])].reverse().map((a) => a.userId);
  const source = (variable: string, set: boolean, fileHasIt: boolean) =>
    set ? variable : fileHasIt ? 'the sandbox credentials file' : `${variable} (not set)`;
  return {
    approverIds,
    complianceApproverIds,
    recipientWhitelist,
    walletIds,
    autoRejectTimeout: config.POLICY_AUTO_REJECT_TIMEOUT_MINUTES,
    sources: {
      approverIds: source('DFNS_APPROVER_USER_IDS', !!config.DFNS_APPROVER_USER_IDS, !!fixtures),
      recipientWhitelist: source('PAYMENT_RECIPIENT_WHITELIST', !!config.PAYMENT_RECIPIENT_WHITELIST, false),
      walletIds: source('POLICY_WALLET_IDS', !!config.POLICY_WALLET_IDS, !!fixtures),
      complianceApproverIds: source(
        'DFNS_COMPLIANCE_APPROVER_USER_IDS',
        !!config.DFNS_COMPLIANCE_APPROVER_USER_IDS,
        !!fixtures,
      ),
    },
  };
}
