import type { CreatePermissionBody } from '@dfns/sdk/generated/permissions';

/** A Dfns permission operation name, checked against the SDK's enum at compile time. */
export type DfnsOperation = CreatePermissionBody['operations'][number];

/**
 * The Dfns permissions the orchestrator's service account needs, as data: the role `npm run dfns-setup` is meant to
 * create, the sandbox enforces, and docs/deployment.md ("Real Dfns") explains. Operation names are those of @dfns/sdk's permission enum
 * (https://docs.dfns.co/api-reference/permissions); each says which calls need it.
 */
export const SERVICE_ACCOUNT_PERMISSIONS = [
  { operation: 'Wallets:Transfers:Create', calls: ['submitTransfer (transferAsset)'] },
  {
    operation: 'Wallets:Transfers:Read',
    calls: ['getTransfer', 'speedUpTransfer and cancelTransfer (read back)', 'reconciliation (listTransfers)'],
  },
  {
    operation: 'Wallets:Read',
    calls: ['pool balances (getWalletAssets)', 'reconciliation (getWalletAssets, getWalletHistory)'],
  },
  { operation: 'Wallets:Transfers:Abort', calls: ['abortTransfer (operator cancel before signing)'] },
  { operation: 'Wallets:Transactions:Create', calls: ['speedUpTransfer', 'cancelTransfer (replacement transactions)'] },
  { operation: 'Wallets:Transactions:Read', calls: ['cancelTransfer (follows replacementId)'] },
  { operation: 'Policies:Approvals:Read', calls: ['getApproval', 'approvals CLI (list)'] },
  /**
   * Dfns requires this for every approval decision, a denial included ("Always Required" on Create Approval
   * Decision, https://docs.dfns.co/api-reference/policies). The orchestrator only ever denies, as the initiator,
   * to cancel a payment waiting for approval or to end one past its deadline; Dfns never lets an initiator
   * approve its own activity unless a group sets `initiatorCanApprove`. Keep that flag off and name the approvers
   * of every approval group (never "any member"), or this permission would let the service account approve
   * other users' activities. Without it, cancels while awaiting approval fail 403 and the deadline falls back
   * to the policy's own autoRejectTimeout.
   */
  { operation: 'Policies:Approvals:Approve', calls: ['denyApproval (initiator denial only)'] },
] as const satisfies readonly { operation: DfnsOperation; calls: readonly string[] }[];

/** The operation names alone, in the order above. */
export const SERVICE_ACCOUNT_OPERATIONS: DfnsOperation[] = SERVICE_ACCOUNT_PERMISSIONS.map((p) => p.operation);
