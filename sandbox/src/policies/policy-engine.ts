import type { Policy } from './policy-schema';
import { evaluateRule, type RuleContext } from './policy-rules';
import type { Wallet } from '../state/sandbox-state';

/** One matching policy's verdict on a transfer. */
export interface PolicyVerdict {
  policy: Policy;
  triggered: boolean;
  reason: string;
  context?: Record<string, unknown>;
}

/** Filters are ANDed: `walletId.in`, then `walletTags.hasAny` (one tag) and `hasAll` (every tag). */
export function policyMatchesWallet(policy: Policy, wallet: Wallet): boolean {
  const { walletId, walletTags } = policy.filters ?? {};
  if (walletId && !walletId.in.includes(wallet.id)) return false;
  if (walletTags?.hasAny && !walletTags.hasAny.some((tag) => wallet.tags.includes(tag))) return false;
  if (walletTags?.hasAll && !walletTags.hasAll.every((tag) => wallet.tags.includes(tag))) return false;
  return true;
}

/**
 * Evaluates every Active `Wallets:Sign` policy whose filters match (https://docs.dfns.co/core-concepts/policies):
 * none overrides another; the caller decides what the set of triggered actions means.
 */
export function evaluatePolicies(policies: readonly Policy[], wallet: Wallet, ctx: RuleContext): PolicyVerdict[] {
  return policies
    .filter((policy) => policy.status === 'Active' && policy.activityKind === 'Wallets:Sign')
    .filter((policy) => policyMatchesWallet(policy, wallet))
    .map((policy) => ({ policy, ...evaluateRule(policy.rule, ctx) }));
}
