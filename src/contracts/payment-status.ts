/** Every state a payment can be in, in lifecycle order; the last four are terminal. */
export const PAYMENT_STATUSES = [
  'Accepted',
  'Submitted',
  'AwaitingApproval',
  'Executing',
  'Broadcasted',
  'Confirmed',
  'Failed',
  'Rejected',
  'Cancelled',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const RANK: Record<PaymentStatus, number> = {
  Accepted: 0,
  Submitted: 1,
  AwaitingApproval: 2,
  Executing: 3,
  Broadcasted: 4,
  Confirmed: 5,
  Failed: 5,
  Rejected: 5,
  Cancelled: 5,
};

/** True for states that no event may leave. */
export function isTerminal(status: PaymentStatus): boolean {
  return RANK[status] === 5;
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
