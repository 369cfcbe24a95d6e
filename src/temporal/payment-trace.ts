import type { Client } from '@temporalio/client';
import { TRACE_MEMO_KEY } from '../contracts/trace-context';

/** Reads the `traceparent` a payment's memo holds; undefined when it has none. */
export type PaymentTraceReader = (paymentId: string) => Promise<string | undefined>;

/**
 * Reads a payment's trace context from its memo with a describe: a visibility read that reaches no worker, so it
 * never runs a payment ahead of its history (a query would). Gives up after `timeoutMs`.
 */
export function createPaymentTraceReader(client: Client, timeoutMs = 2_000): PaymentTraceReader {
  return async (paymentId) => {
    const description = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(paymentId).describe(),
    );
    const value = description.memo?.[TRACE_MEMO_KEY];
    return typeof value === 'string' ? value : undefined;
  };
}
