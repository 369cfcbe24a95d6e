import type { ApprovalRow } from './approval-row';

/** An approval as a few lines of text: what is paid to whom, why it waits, until when, and who decided so far. */
export function formatApprovalRow(row: ApprovalRow): string[] {
  const subject = row.paymentId
    ? `${row.paymentId} (attempt ${row.attempt ?? '?'})`
    : row.externalId
      ? `externalId ${row.externalId} (not an orchestrator payment)`
      : row.activityKind;
  const lines = [`${row.approvalId}  ${row.status}  ${subject}`];
  if (row.transferId) {
    const where = [
      row.network && `on ${row.network}`,
      `transfer ${row.transferId}`,
      row.walletId && `wallet ${row.walletId}`,
    ].filter(Boolean);
    lines.push(
      `    ${row.amountText ?? '(amount unknown)'} → ${row.recipient ?? '(recipient unknown)'} ${where.join(', ')}`,
    );
  }
  for (const { policyId, policyName, reason } of row.reasons) {
    lines.push(`    policy ${policyName ? `"${policyName}" (${policyId})` : policyId}: ${reason}`);
  }
  lines.push(
    `    ${row.expirationDate ? `expires ${row.expirationDate}` : 'never expires'}; ${row.decisions.length === 0 ? 'no decisions yet' : 'decisions:'}`,
  );
  for (const decision of row.decisions) {
    const when = decision.date ? ` at ${decision.date}` : '';
    lines.push(`      ${decision.value} by ${decision.userId}${when}${decision.reason ? `: ${decision.reason}` : ''}`);
  }
  return lines;
}
