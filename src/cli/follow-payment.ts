import type { TimelineEntry } from '../contracts/payment-state';
import { isTerminal } from '../contracts/payment-status';
import type { ShownPayment } from './payments-gateway';

/** One timeline entry as a progress line. */
export function formatTimelineEntry(entry: TimelineEntry): string {
  const status = entry.status ? (entry.applied ? `→ ${entry.status}` : `(${entry.status}, not applied)`) : '';
  const note = entry.note ? ` — ${entry.note}` : '';
  return `${entry.at}  ${entry.source.padEnd(8)} ${entry.event} ${status}${note}`.trimEnd();
}

/** Prints each new timeline entry as it appears and resolves with the final state. */
export async function followPayment(
  payments: { get(paymentId: string): Promise<ShownPayment> },
  paymentId: string,
  print: (line: string) => void,
  pollMs = 500,
): Promise<ShownPayment> {
  // Counted over every entry ever recorded: a bounded timeline drops older routine entries, never the newest.
  let shown = 0;
  for (;;) {
    const state = await payments.get(paymentId);
    const recorded = state.timeline.length + (state.timelineSummary?.omitted ?? 0);
    const fresh = Math.min(recorded - shown, state.timeline.length);
    for (const entry of fresh > 0 ? state.timeline.slice(-fresh) : []) print(formatTimelineEntry(entry));
    shown = recorded;
    if (isTerminal(state.status)) return state;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
