import type { StuckEscalation } from '../src/contracts/payment-messages';
import type { PaymentState } from '../src/contracts/payment-state';
import { paymentSummary } from '../src/contracts/payment-summary';
import { complianceReviews, currentTriggers, describeTrigger } from '../src/contracts/policy-triggers';

/** The workflow's current details (Markdown) shown in the Temporal UI: what the payment is and where it stands. */
export function paymentDetails(state: PaymentState, escalation?: StuckEscalation): string {
  const lines = [`**${state.status}** — ${paymentSummary(state.request)}`, ''];
  if (state.needsAttention) lines.push(`- ⚠ **needs a person**: ${attentionReason(state, escalation)}`);
  const reviews = state.status === 'AwaitingApproval' ? complianceReviews(state) : [];
  if (reviews.length > 0) {
    lines.push(`- 🛡 **awaiting the compliance group**: ${reviews.map(describeTrigger).join('; ')}`);
  }
  for (const trigger of currentTriggers(state)) {
    if (trigger.check !== 'policy' && !reviews.includes(trigger)) lines.push(`- 🛡 ${describeTrigger(trigger)}`);
  }
  if (state.request.travelRule) lines.push('- Travel Rule data sent with the transfer (Notabene)');
  if (state.stuck) lines.push('- ⚠ **stuck**: broadcast for longer than the network normally takes');
  if (escalation) {
    const steps = [`${escalation.speedUps} speed-up(s)`];
    if (escalation.cancelRequested) steps.push('cancel by replacement requested');
    if (escalation.flagged) steps.push('flagged for a person');
    else if (escalation.failures > 0) steps.push(`next step failed ${escalation.failures}×, retried with backoff`);
    lines.push(`- escalation: ${steps.join(', ')}`);
  }
  const pool = state.request.pool;
  if (pool && state.waitingForFunds) {
    lines.push(
      `- ⏳ **waiting for funds**: no wallet of pool \`${pool}\` can pay; gives up ${state.waitingForFunds.until}`,
    );
  }
  const wallet = state.wallet ?? state.request.walletId;
  if (wallet) lines.push(`- wallet \`${wallet}\`${pool ? ` (chosen by pool \`${pool}\`)` : ''}`);
  else if (pool) lines.push(`- pool \`${pool}\`: no wallet reserved yet`);
  lines.push(`- attempt ${state.attempt}, externalId \`${state.externalId}\``);
  if (state.transferId) lines.push(`- Dfns transfer \`${state.transferId}\``);
  if (state.approval) {
    const expires = state.approval.expirationDate ? `, expires ${state.approval.expirationDate}` : '';
    lines.push(`- approval \`${state.approval.id}\` ${state.approval.status}${expires}`);
    for (const decision of state.approval.decisions ?? []) {
      lines.push(`  - ${decision.value} by \`${decision.userId}\` at ${decision.date}`);
    }
  } else if (state.approvalId) lines.push(`- approval \`${state.approvalId}\``);
  if (state.txHash) lines.push(`- txHash \`${state.txHash}\``);
  if (state.reason) lines.push(`- reason: ${state.reason}`);
  for (const previous of state.previousAttempts) {
    lines.push(
      `- attempt ${previous.attempt} (\`${previous.externalId}\`${previous.walletId ? ` from \`${previous.walletId}\`` : ''}) ` +
        `failed: ${previous.reason ?? 'no reason given'}`,
    );
  }
  const omitted = state.timelineSummary?.omitted;
  if (omitted) lines.push(`- ${omitted} older routine timeline entries summarised as counts`);
  lines.push(`- since ${state.statusSince}; query \`paymentState\` for the full timeline`);
  return lines.join('\n');
}

function attentionReason(state: PaymentState, escalation?: StuckEscalation): string {
  if (state.status === 'Failed') return 'the transfer failed on chain';
  if (escalation?.flagged) return 'the transfer is still unconfirmed after every automatic step';
  return 'see the timeline for why';
}
