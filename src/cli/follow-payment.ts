import type { TimelineEntry } from '../contracts/payment-state';
import { isTerminal } from '../contracts/payment-status';
import { paymentVersion } from '../contracts/payment-messages';
import type { PaymentsGateway, ShownPayment } from './payments-gateway';

/** One timeline entry as a progress line. */
export function formatTimelineEntry(entry: TimelineEntry): string {
  const status = entry.status ? (entry.applied ? `→ ${entry.status}` : `(${entry.status}, not applied)`) : '';
  const note = entry.note ? ` — ${entry.note}` : '';
  return `${entry.at}  ${entry.source.padEnd(8)} ${entry.event} ${status}${note}`.trimEnd();
}

/** How long one long-poll waits for a change before it is asked again (well under proxies' idle timeouts). */
const WAIT_MS = 25_000;

/**
 * Prints each new timeline entry as it appears and resolves with the final state. The payment is read once, then
 * long-polled: each wait returns as soon as the payment changes, so a follower costs one Temporal action per change
 * (shared with every other follower) instead of a query every half second.
 */
export async function followPayment(
  payments: Pick<PaymentsGateway, 'get' | 'waitForChange'>,
  paymentId: string,
  print: (line: string) => void,
  waitMs = WAIT_MS,
): Promise<ShownPayment> {
  // Counted over every entry ever recorded: a bounded timeline drops older routine entries, never the newest.
  let shown = 0;
  let state = await payments.get(paymentId);
  for (;;) {
    const recorded = paymentVersion(state);
    const fresh = Math.min(recorded - shown, state.timeline.length);
    for (const entry of fresh > 0 ? state.timeline.slice(-fresh) : []) print(formatTimelineEntry(entry));
    shown = recorded;
    if (isTerminal(state.status)) return state;
    const next = await payments.waitForChange(paymentId, recorded, waitMs);
    // A run handing over to its continuation answers with nothing new: ask again after a breath, not in a tight loop.
    if (next && paymentVersion(next) === recorded) await new Promise((resolve) => setTimeout(resolve, 1_000));
    state = next ?? state;
  }
}
