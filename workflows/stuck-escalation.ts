import { stuckEscalationPolicy, type StuckEscalationPolicy } from '../src/contracts/networks';
import type { StuckEscalation } from '../src/contracts/payment-messages';
import { operatorCalls } from './payment-activities';
import { tolerate, type PaymentRun } from './payment-run';

/** A step that keeps failing is given up after this many tries, and the escalation moves on to the next step. */
const MAX_STEP_FAILURES = 5;

/** The escalation rules for this payment's network, with the test overrides from its timings. */
export function escalationPolicy(run: PaymentRun): StuckEscalationPolicy {
  const policy = stuckEscalationPolicy(run.input.request.network);
  const { stuckAfterMs, stuckRepeatAfterMs, cancelStuckTransfers } = run.timings;
  return {
    ...policy,
    afterMs: stuckAfterMs ?? policy.afterMs,
    repeatAfterMs: stuckRepeatAfterMs ?? policy.repeatAfterMs,
    supportsCancel: policy.supportsCancel && cancelStuckTransfers,
  };
}

/** Time until the next escalation step is due; Infinity when none can be (not broadcast, or a person has it). */
export function untilEscalation(run: PaymentRun): number {
  if (run.status !== 'Broadcasted') return Infinity;
  const escalation = run.escalation;
  if (!escalation) return Date.parse(run.state.statusSince) + escalationPolicy(run).afterMs - Date.now();
  return escalation.flagged ? Infinity : escalation.nextAt - Date.now();
}

type Step = 'speed-up' | 'cancel' | 'flag';

function nextStep(escalation: StuckEscalation, policy: StuckEscalationPolicy): Step {
  if (policy.supportsSpeedUp && escalation.speedUps < policy.maxSpeedUps) return 'speed-up';
  if (policy.supportsCancel && !escalation.cancelRequested) return 'cancel';
  return 'flag';
}

/**
 * Takes the escalation step that is due for an overdue broadcast: speed up (again, a bounded number of times),
 * then cancel by replacement where Dfns supports it and the operator's policy allows, then flag for a person.
 * Each step is in the timeline; a failed one is retried with backoff and, after five failures, given up for the
 * next. See https://docs.dfns.co/api-reference/transfer for speed-up and cancel.
 */
export async function escalate(run: PaymentRun): Promise<void> {
  const policy = escalationPolicy(run);
  if (!run.escalation) {
    run.markStuck(`broadcast for longer than ${run.input.request.network}'s threshold`);
    run.escalation = { speedUps: 0, cancelRequested: false, flagged: false, failures: 0, nextAt: Date.now() };
  }
  const escalation = run.escalation;
  const step = nextStep(escalation, policy);
  const walletId = run.walletId;
  const transferId = run.state.transferId;
  if (step === 'flag' || !transferId) {
    escalation.flagged = true;
    const tried = `${escalation.speedUps} speed-up(s)${escalation.cancelRequested ? ' and a cancel' : ''}`;
    const network = run.input.request.network;
    // Where Dfns can neither speed up nor cancel (Tron, Solana), the person is told why nothing was tried.
    const why =
      policy.supportsSpeedUp || policy.supportsCancel
        ? `still unconfirmed after ${tried}`
        : `Dfns cannot speed up or cancel a transfer on ${network}; a person must decide whether to wait or act`;
    const entry = { source: 'workflow' as const, event: 'stuck: escalated to a person' };
    run.flagForAttention(entry, why, true);
    return;
  }
  const label =
    step === 'speed-up' ? `speed-up ${escalation.speedUps + 1} of ${policy.maxSpeedUps}` : 'cancel by replacement';
  const done =
    step === 'speed-up'
      ? await tolerate(run, `stuck: ${label}`, () => operatorCalls(run).speedUpTransfer({ walletId, transferId }))
      : await tolerate(run, `stuck: ${label}`, () => operatorCalls(run).cancelTransfer({ walletId, transferId }));
  if (done) {
    const replacement = 'replacement' in done ? done.replacement : undefined;
    const transfer = 'transfer' in done ? done.transfer : done;
    run.applyTransfer(transfer);
    if (step === 'speed-up') escalation.speedUps += 1;
    else escalation.cancelRequested = true;
    escalation.failures = 0;
    escalation.nextAt = Date.now() + policy.repeatAfterMs;
    const hash = replacement?.txHash ?? 'no txHash yet';
    const via = replacement ? `replacement ${replacement.id} (${replacement.status}, ${hash})` : '';
    const sped = `txHash now ${run.state.txHash ?? 'unknown'}`;
    const note = step === 'speed-up' ? sped : via || 'Dfns named no replacement';
    run.note({ source: 'workflow', event: `stuck: ${label}`, note }, true);
    return;
  }
  escalation.failures += 1;
  if (escalation.failures >= MAX_STEP_FAILURES) {
    if (step === 'speed-up') escalation.speedUps = policy.maxSpeedUps;
    else escalation.cancelRequested = true;
    escalation.failures = 0;
    const note = `failed ${MAX_STEP_FAILURES} times`;
    run.note({ source: 'workflow', event: `stuck: ${label} given up`, note }, true);
    return; // the next step is due at once
  }
  const backoff = Math.min(run.timings.firstPollAfterMs * 2 ** escalation.failures, run.timings.maxRetryBackoffMs);
  escalation.nextAt = Date.now() + backoff;
}
