/** Every state a payment can be in, in lifecycle order; the last four are terminal. */
export const PAYMENT_STATUSES = [
  'Accepted',
  'Submitted',
  'AwaitingApproval',
  'Executing',
  'Broadcasted',
  'AttemptFailed',
  'Confirmed',
  'Failed',
  'Rejected',
  'Cancelled',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * Ranks order the states of one attempt. AttemptFailed (Dfns failed the transfer before anything reached the chain)
 * is not terminal: the workflow may start a new attempt, which is an explicit decision, never an event.
 */
const RANK: Record<PaymentStatus, number> = {
  Accepted: 0,
  Submitted: 1,
  AwaitingApproval: 2,
  Executing: 3,
  Broadcasted: 4,
  AttemptFailed: 5,
  Confirmed: 6,
  Failed: 6,
  Rejected: 6,
  Cancelled: 6,
};

/** True for states that nothing may leave. */
export function isTerminal(status: PaymentStatus): boolean {
  return RANK[status] === 6;
}

/**
 * Explains why a payment may not move from one state to another, or returns undefined when it may.
 * States only move forward: a late, duplicate or reordered event must never undo what is known.
 */
export function transitionProblem(from: PaymentStatus, to: PaymentStatus): string | undefined {
  if (isTerminal(from)) return from === to ? `already ${from}` : `payment is already final (${from})`;
  if (from === to) return `already ${from}`;
  if (RANK[to] < RANK[from]) return `would move backwards from ${from} to ${to}`;
  return undefined;
}
