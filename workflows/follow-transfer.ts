import { NETWORKS } from '../src/contracts/networks';
import { Alarm } from './alarm';
import { waitForApproval } from './approval-wait';
import { continueAsNewIfDue } from './continue-as-new';
import { getTransfer } from './payment-activities';
import { tolerate, type PaymentRun } from './payment-run';
import { escalate, untilEscalation } from './stuck-escalation';

/** After the expected confirmation time, how many more block times a network without confirmed events is read. */
const FAST_READ_BLOCKS = 10;

/**
 * When a broadcast transfer on a network without `wallet.transfer.confirmed` should next be read: from the network's
 * expected confirmation time after the broadcast, once a block (so Confirmed is known within a block time of Dfns
 * knowing it), for up to the expected time again plus ten blocks; undefined otherwise (the silence schedule applies).
 */
export function confirmationReadAt(run: PaymentRun, lastReadAt: number): number | undefined {
  const network = NETWORKS[run.input.request.network];
  if (network.emitsConfirmed || run.status !== 'Broadcasted') return undefined;
  const blockMs = run.timings.blockTimeMs ?? network.blockTimeMs;
  const expectedMs = run.timings.confirmationMs ?? network.confirmationMs;
  const expected = Date.parse(run.state.statusSince) + expectedMs;
  if (Date.now() >= expected + expectedMs + FAST_READ_BLOCKS * blockMs) return undefined;
  return Math.max(expected, lastReadAt + blockMs);
}

/**
 * Follows the current attempt until it is final or failed before broadcast (runs with the lean-actions marker; the
 * older loop is `follow` in payment-workflow.ts). Webhooks move it; after a silence it reads the transfer itself,
 * backing off while nothing changes. All waits share one Alarm, so a happy payment starts a single timer however many
 * webhooks arrive. A broadcast overdue for its network escalates step by step (stuck-escalation.ts).
 */
export async function followTransfer(run: PaymentRun): Promise<void> {
  const walletId = run.walletId;
  const alarm = new Alarm();
  let silence = run.timings.firstPollAfterMs;
  let lastReadAt = -Infinity;
  while (!run.final && run.status !== 'AttemptFailed') {
    await continueAsNewIfDue(run);
    if (run.status === 'AwaitingApproval' && run.state.approval?.status !== 'Approved') {
      await waitForApproval(run);
      continue;
    }
    if (untilEscalation(run) <= 0) {
      await escalate(run);
      continue;
    }
    // As before the alarm: the silence is counted from now, and only news heard while waiting starts it over.
    const seen = run.version;
    const readAt = Math.min(Date.now() + silence, confirmationReadAt(run, lastReadAt) ?? Infinity);
    const due = Math.min(readAt, Date.now() + untilEscalation(run));
    if (await alarm.until(due, () => run.version !== seen || run.final)) {
      silence = run.timings.firstPollAfterMs;
      continue;
    }
    if (Date.now() < readAt) continue; // the escalation, not the silence, is due
    const transferId = run.state.transferId;
    const update = transferId
      ? await tolerate(run, 'getTransfer', () => getTransfer(run, { walletId, transferId }))
      : undefined;
    if (update) run.applyTransfer(update);
    lastReadAt = Date.now();
    const ceiling = run.state.stuck ? run.timings.maxStuckPollIntervalMs : run.timings.maxPollIntervalMs;
    silence = Math.min(silence * 2, ceiling);
  }
}
