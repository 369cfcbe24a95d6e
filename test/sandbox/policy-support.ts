import type { DfnsApiClient } from '@dfns/sdk';
import type { CreatePolicyBody } from '@dfns/sdk/generated/policies';
import { admin, groundTruth, type Json, type TestSandbox } from './helpers';

/** The SDK's `Wallets:Sign` policy body. */
export type SignPolicyBody = Extract<CreatePolicyBody, { activityKind: 'Wallets:Sign' }>;

/** Creates a `Wallets:Sign` policy through the real SDK (a signed call). */
export function createSignPolicy(
  dfns: DfnsApiClient,
  name: string,
  rule: SignPolicyBody['rule'],
  action: SignPolicyBody['action'],
  filters?: SignPolicyBody['filters'],
) {
  const body = { name, activityKind: 'Wallets:Sign' as const, rule, action, ...(filters ? { filters } : {}) };
  return dfns.policies.createPolicy({ body });
}

/** A RequestApproval action with one group. */
export function approvalBy(
  userIds: string[] | 'anyone',
  quorum = 1,
  extra: { initiatorCanApprove?: boolean; autoRejectTimeout?: number } = {},
): SignPolicyBody['action'] {
  const approvers = userIds === 'anyone' ? {} : { userId: { in: userIds } };
  const initiator = extra.initiatorCanApprove !== undefined ? { initiatorCanApprove: extra.initiatorCanApprove } : {};
  const group = { name: 'treasury', quorum, approvers, ...initiator };
  return {
    kind: 'RequestApproval',
    approvalGroups: [group],
    ...(extra.autoRejectTimeout !== undefined ? { autoRejectTimeout: extra.autoRejectTimeout } : {}),
  };
}

/** Resets the sandbox and forgets what the receiver got, so each test starts clean. */
export async function resetSandbox(t: TestSandbox): Promise<void> {
  const res = await admin(t.sandbox.url, 'POST', '/reset', {});
  if (res.status !== 200) throw new Error(`reset failed: ${res.status}`);
  t.receiver.requests.length = 0;
}

/** An Erc20 (USDC, 6 decimals) transfer body from the bootstrap wallet. */
export function usdc(t: TestSandbox, amount: string, to: string) {
  return { kind: 'Erc20' as const, contract: t.bootstrap.erc20.contract, to, amount };
}

/** The ground-truth transfer with this id. */
export async function truthOf(t: TestSandbox, transferId: string): Promise<Json> {
  return (await groundTruth(t.sandbox.url)).find((transfer) => transfer.id === transferId);
}
