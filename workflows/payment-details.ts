import type { PaymentState } from '../src/contracts/payment-state';
import { paymentSummary } from '../src/contracts/payment-summary';

/** The workflow's current details (Markdown) shown in the Temporal UI: what the payment is and where it stands. */
export function paymentDetails(state: PaymentState): string {
  const lines = [
    `**${state.status}** — ${paymentSummary(state.request)}`,
    '',
    `- attempt ${state.attempt}, externalId \`${state.externalId}\``,
  ];
  if (state.transferId) lines.push(`- Dfns transfer \`${state.transferId}\``);
  if (state.approvalId) lines.push(`- approval \`${state.approvalId}\``);
  if (state.txHash) lines.push(`- txHash \`${state.txHash}\``);
  if (state.reason) lines.push(`- reason: ${state.reason}`);
  lines.push(`- updated ${state.updatedAt}; query \`paymentState\` for the full timeline`);
  return lines.join('\n');
}
