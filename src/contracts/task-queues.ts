/**
 * The task queue outcome callbacks run on: the payment's own queue with a suffix. A worker with no Dfns rate
 * limit serves it, so a slow or failing service never spends the Dfns budget and the budget never delays a
 * callback.
 */
export const callbackTaskQueue = (paymentTaskQueue: string): string => `${paymentTaskQueue}-callbacks`;

/**
 * Dfns activities grouped by what one costs in Dfns requests: a signed call is three (challenge, signature, call),
 * a speed-up or cancel three more reads at most (the transfer, the replacement), a read one. Each class has a task
 * queue of its own whose server-side rate is its share of the budget divided by its cost, so the Dfns requests of
 * all classes together never exceed the budget, however many workers and payments there are.
 *
 * The shares, of the org's requests per minute (src/dfns/dfns-budget.ts), and why:
 * - signed 80 %: submissions, the initiator's denials, aborts. A batch spends almost nothing else (a happy payment
 *   is one signed call: its webhooks need no read), so this share sets the pace of payouts: at Dfns's 1,000 requests
 *   a minute, 80 % at 3 requests each is 4.4 transfers a second (100 % would be 5.6).
 * - read 10 %: the polling safety net (silence, approvals, confirmations on networks without a confirmed webhook) and
 *   pool balances, and the scheduled reconciliation's pages (about 15 requests per 1,000 transfers, at the lowest
 *   priority). When webhooks are lost, reads queue behind this rate; payments are slower, never stranded.
 * - escalation 3 %: speed-ups and cancels of stuck transfers, rare by nature (six a minute at the default budget).
 * - operators 5 % (DFNS_OPERATOR_SHARE): the approvals and policies CLIs, which call Dfns themselves.
 * - 2 % left free: Temporal's rate limiter lets each queue start about a second's worth at once, on top of its rate.
 * A share left idle is not lent to another class: each is a separate server-side limit.
 */
export const DFNS_COST_CLASSES = {
  signed: { cost: 3, share: 0.8, activities: ['submitTransfer', 'denyApproval', 'abortTransfer'] },
  escalation: { cost: 5, share: 0.03, activities: ['speedUpTransfer', 'cancelTransfer'] },
  read: {
    cost: 1,
    share: 0.1,
    activities: [
      'getTransfer',
      'getApproval',
      'reconcileTransferPage',
      'readHistoryPage',
      'readReconciliationBalances',
    ],
  },
} as const;

export type DfnsCostClass = keyof typeof DFNS_COST_CLASSES;

/** The task queue of one cost class: the payment's own queue with the class as suffix. */
export const dfnsTaskQueue = (paymentTaskQueue: string, costClass: DfnsCostClass): string =>
  `${paymentTaskQueue}-dfns-${costClass}`;

/** Activity starts per second for a class's queue, from the budget in Dfns requests per second. */
export const dfnsClassRate = (requestsPerSecond: number, costClass: DfnsCostClass): number =>
  (requestsPerSecond * DFNS_COST_CLASSES[costClass].share) / DFNS_COST_CLASSES[costClass].cost;

/** Dfns requests a signed call makes (challenge, signature, call) and a read makes. */
export const DFNS_SIGNED_COST = 3;
export const DFNS_READ_COST = 1;

/**
 * The share of the budget the operator CLIs that call Dfns themselves (approvals, policies) keep to, each process
 * with a client-side token bucket (src/dfns/operator-budget.ts); the workers' queues leave it free.
 */
export const DFNS_OPERATOR_SHARE = 0.05;

/** Dfns requests per second the operator CLIs may make, from the budget. */
export const operatorRequestsPerSecond = (requestsPerSecond: number): number => requestsPerSecond * DFNS_OPERATOR_SHARE;
