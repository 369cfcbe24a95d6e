import { formatUnits } from '../contracts/amount';
import { parseTransferExternalId } from '../contracts/payment-id';
import type { DfnsApprovalForReview } from '../dfns/approval-review-schema';
import type { DfnsTransfer } from '../dfns/transfer-schema';

/** A Dfns approval as the approver tools read it. */
export type Approval = DfnsApprovalForReview;

/** What an approver sees of one approval: the payment behind it, the money, and why it needs a decision. */
export interface ApprovalRow {
  approvalId: string;
  status: string;
  activityKind: string;
  paymentId?: string;
  attempt?: number;
  /** The transfer's externalId when it is not one of the orchestrator's. */
  externalId?: string;
  transferId?: string;
  walletId?: string;
  network?: string;
  /** Minimum units, exactly as Dfns holds it. */
  amount?: string;
  /** "15000 USDC" when the decimals are known, else the minimum units and what they are of. */
  amountText?: string;
  recipient?: string;
  reasons: { policyId: string; policyName?: string; reason: string }[];
  expirationDate?: string;
  decisions: { userId: string; value: string; date?: string; reason?: string }[];
}

function amountText(transfer: DfnsTransfer): string | undefined {
  const amount = transfer.requestBody?.amount;
  if (amount === undefined || !/^\d+$/.test(amount)) return amount;
  const asset = transfer.metadata?.asset;
  const unit =
    asset?.symbol ??
    (transfer.requestBody?.kind === 'Native'
      ? 'native'
      : (transfer.requestBody?.contract ?? transfer.requestBody?.kind ?? 'units'));
  if (asset?.decimals === undefined) return `${amount} minimum units of ${unit}`;
  return `${formatUnits(amount, asset.decimals)} ${unit}`;
}

/** Builds an approver's row; `policyNames` adds names to the triggered policies' reasons when known. */
export function toApprovalRow(approval: Approval, policyNames: ReadonlyMap<string, string> = new Map()): ApprovalRow {
  const transfer = approval.activity.transferRequest;
  const externalId = transfer?.externalId ?? transfer?.requestBody?.externalId;
  const payment = externalId ? parseTransferExternalId(externalId) : undefined;
  const row: ApprovalRow = {
    approvalId: approval.id,
    status: approval.status,
    activityKind: approval.activity.kind,
    reasons: approval.policyEvaluations
      .filter((evaluation) => evaluation.triggered)
      .map(({ policyId, reason }) => ({
        policyId,
        ...(policyNames.has(policyId) ? { policyName: policyNames.get(policyId) } : {}),
        reason,
      })),
    decisions: approval.decisions.map(({ userId, value, date, reason }) => ({
      userId,
      value,
      ...(date ? { date } : {}),
      ...(reason ? { reason } : {}),
    })),
  };
  if (payment) Object.assign(row, { paymentId: payment.paymentId, attempt: payment.attempt });
  else if (externalId) row.externalId = externalId;
  if (transfer) {
    const text = amountText(transfer);
    Object.assign(row, {
      transferId: transfer.id,
      ...(transfer.walletId ? { walletId: transfer.walletId } : {}),
      ...(transfer.network ? { network: transfer.network } : {}),
      ...(transfer.requestBody?.amount ? { amount: transfer.requestBody.amount } : {}),
      ...(text ? { amountText: text } : {}),
      ...(transfer.requestBody?.to ? { recipient: transfer.requestBody.to } : {}),
    });
  }
  if (approval.expirationDate) row.expirationDate = approval.expirationDate;
  return row;
}
