import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { paymentUpdateSignal } from '../contracts/payment-messages';
import type { PaymentUpdate } from '../contracts/payment-update';
import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';

/**
 * What became of a signal: `delivered`; `closed` (the payment exists but has finished); `unknown` (Temporal holds no
 * payment with that id: it never existed, or its history is past the namespace's retention).
 */
export type SignalResult = 'delivered' | 'closed' | 'unknown';

/** Delivers facts to payments. */
export interface PaymentSignaler {
  signal(paymentId: string, update: PaymentUpdate): Promise<SignalResult>;
  /** Finds the payment holding a provider transfer or approval, for events that do not carry our externalId. */
  findPayment(by: { transferId?: string; approvalId?: string }): Promise<string | undefined>;
}

const quoted = (value: string) => `'${value.replace(/['\\]/g, '')}'`;

/**
 * Signals payments through Temporal, giving up after `timeoutMs` so the bridge can answer 503 and Dfns redelivers.
 * Every update, transfer or approval, goes as the one `paymentUpdate` signal.
 */
export function createTemporalSignaler(client: Client, timeoutMs = 5_000): PaymentSignaler {
  const within = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + timeoutMs, fn);
  // Only on the failure path: a signal refused as not found costs one describe to tell a finished payment from none.
  const closedOrUnknown = async (paymentId: string): Promise<'closed' | 'unknown'> => {
    try {
      await within(() => client.workflow.getHandle(paymentId).describe());
      return 'closed';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'unknown';
      throw error;
    }
  };
  return {
    async signal(paymentId, update) {
      const handle = client.workflow.getHandle(paymentId);
      try {
        await within(() => handle.signal(paymentUpdateSignal, update));
        return 'delivered';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return closedOrUnknown(paymentId);
        throw error;
      }
    },
    async findPayment({ transferId, approvalId }) {
      const clause = transferId
        ? `DfnsTransferId = ${quoted(transferId)}`
        : approvalId
          ? `DfnsApprovalId = ${quoted(approvalId)}`
          : undefined;
      if (!clause) return undefined;
      const query = `${PAYMENT_WORKFLOWS_CLAUSE} AND ${clause}`;
      return within(async () => {
        for await (const execution of client.workflow.list({ query, pageSize: 1 })) return execution.workflowId;
        return undefined;
      });
    },
  };
}
