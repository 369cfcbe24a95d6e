import { WorkflowFailedError, type Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { PaymentClient } from '../src/client/payment-client';
import { requestHash } from '../src/client/request-hash';
import type { PaymentOutcome } from '../src/contracts/payment-messages';
import type { PaymentRequest } from '../src/contracts/payment-request';

/** A batch row whose payment id was already taken: the row's request, and how long to wait for that payment. */
export interface ExistingRowPaymentInput {
  paymentId: string;
  request: PaymentRequest;
  /** Answer `running` once this has passed with the payment still running; the workflow asks again. */
  waitMs: number;
}

/**
 * What the payment under a row's id is to the row: another request (`different`: the row is not paid), its outcome
 * once it has ended, an end without an outcome (terminated, failed as a workflow), or still running.
 */
export type ExistingRowPayment =
  | { kind: 'different' }
  | { kind: 'ended'; outcome: PaymentOutcome }
  | { kind: 'no-outcome'; why: string }
  | { kind: 'running' };

/** The batch activities' dependencies: Temporal, to read the payment a row's id already names. */
export interface BatchActivityDeps {
  temporal: Client;
  /** Between two reads of a running payment; 5 s unless a test says otherwise. */
  pollMs?: number;
}

/** Creates the activity through which a batch row follows a payment that already holds its id. */
export function createBatchActivities({ temporal, pollMs = 5_000 }: BatchActivityDeps) {
  const payments = new PaymentClient(temporal, { taskQueue: 'unused: this client only reads' });

  /**
   * Whether the payment holds the row's request: by the digest its starter kept in the memo; a payment started
   * without one (a batch row of an earlier version) is compared once it has closed, through its final state.
   */
  async function sameRequest(paymentId: string, memoHash: unknown, request: PaymentRequest): Promise<boolean> {
    if (typeof memoHash === 'string') return memoHash === requestHash(request);
    const state = await payments.getState(paymentId);
    return requestHash(state.request) === requestHash(request);
  }

  return {
    /**
     * Follows the payment that already holds a batch row's id, for at most `waitMs`: reads it every few seconds
     * (heartbeating), compares its request with the row's, and answers with its outcome once it has ended.
     */
    async followExistingRowPayment({
      paymentId,
      request,
      waitMs,
    }: ExistingRowPaymentInput): Promise<ExistingRowPayment> {
      const context = Context.current();
      const handle = temporal.workflow.getHandle(paymentId);
      const until = Date.now() + waitMs;
      let description = await handle.describe();
      const memoHash = description.memo?.requestHash;
      if (typeof memoHash === 'string' && !(await sameRequest(paymentId, memoHash, request)))
        return { kind: 'different' };
      while (description.status.name === 'RUNNING') {
        if (Date.now() >= until) return { kind: 'running' };
        context.heartbeat();
        await context.sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
        description = await handle.describe();
      }
      if (!(await sameRequest(paymentId, memoHash, request))) return { kind: 'different' };
      try {
        return { kind: 'ended', outcome: (await handle.result()) as PaymentOutcome };
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        return { kind: 'no-outcome', why: error.cause?.message ?? error.message };
      }
    },
  };
}

/** The batch activities, as workflows see them (by type only). */
export type BatchActivities = ReturnType<typeof createBatchActivities>;
