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
  let shown = 0;
  for (;;) {
    const state = await payments.get(paymentId);
    for (const entry of state.timeline.slice(shown)) print(formatTimelineEntry(entry));
    shown = state.timeline.length;
    if (isTerminal(state.status)) return state;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
