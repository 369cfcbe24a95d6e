import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { transferUpdateSignal } from '../contracts/payment-messages';
import type { TransferUpdate } from '../contracts/transfer-update';

/** Delivers a transfer update to its payment; "closed" means no running payment has that id. */
export interface PaymentSignaler {
  signal(paymentId: string, update: TransferUpdate): Promise<'delivered' | 'closed'>;
}

/** Signals payments through Temporal, giving up after `timeoutMs` so the bridge can answer 503 and Dfns redelivers. */
export function createTemporalSignaler(client: Client, timeoutMs = 5_000): PaymentSignaler {
  return {
    async signal(paymentId, update) {
      try {
        await client.connection.withDeadline(Date.now() + timeoutMs, () =>
          client.workflow.getHandle(paymentId).signal(transferUpdateSignal, update),
        );
        return 'delivered';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return 'closed';
        throw error;
      }
    },
  };
}
