import { z } from 'zod';
import { formatUnits } from '../contracts/amount';
import { parseTransferExternalId } from '../contracts/payment-id';

const transferSchema = z.looseObject({
  id: z.string(),
  walletId: z.string().optional(),
  network: z.string().optional(),
  externalId: z.string().optional(),
  requestBody: z
    .looseObject({
      kind: z.string().optional(),
      to: z.string().optional(),
      amount: z.string().optional(),
      contract: z.string().optional(),
      externalId: z.string().optional(),
    })
    .optional(),
  metadata: z.looseObject({ asset: z.looseObject({ symbol: z.string().optional(), decimals: z.number().int().min(0).max(77).optional() }).optional() }).optional(),
});

/** The fields of a Dfns Approval (reference §4.2) an approver needs to decide; the rest pass through. */
export const approvalSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  initiatorId: z.string().optional(),
  expirationDate: z.string().optional(),
  dateCreated: z.string().optional(),
  activity: z.looseObject({ kind: z.string(), transferRequest: transferSchema.optional() }),
  policyEvaluations: z.array(z.looseObject({ policyId: z.string(), triggered: z.boolean(), reason: z.string() })).default([]),
  decisions: z.array(z.looseObject({ userId: z.string(), date: z.string(), reason: z.string().nullish(), value: z.string() })).default([]),
});

/** A Dfns approval as read at the edge. */
export type Approval = z.infer<typeof approvalSchema>;

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
  decisions: { userId: string; value: string; date: string; reason?: string }[];
}

function amountText(transfer: z.infer<typeof transferSchema>): string | undefined {
  const amount = transfer.requestBody?.amount;
  if (amount === undefined || !/^\d+$/.test(amount)) return amount;
  const asset = transfer.metadata?.asset;
  const unit = asset?.symbol ?? (transfer.requestBody?.kind === 'Native' ? 'native' : transfer.requestBody?.contract ?? transfer.requestBody?.kind ?? 'units');
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
      .map(({ policyId, reason }) => ({ policyId, ...(policyNames.has(policyId) ? { policyName: policyNames.get(policyId) } : {}), reason })),
    decisions: approval.decisions.map(({ userId, value, date, reason }) => ({ userId, value, date, ...(reason ? { reason } : {}) })),
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
