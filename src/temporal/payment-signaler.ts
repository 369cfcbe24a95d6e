import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ApprovalUpdate } from '../contracts/approval-update';
import { approvalUpdateSignal, transferUpdateSignal } from '../contracts/payment-messages';
import type { TransferUpdate } from '../contracts/transfer-update';

/** One fact for a payment, as the bridge delivers it. */
export type PaymentMessage = { kind: 'transfer'; update: TransferUpdate } | { kind: 'approval'; update: ApprovalUpdate };

/** Delivers facts to payments; "closed" means no running payment has that id. */
export interface PaymentSignaler {
  signal(paymentId: string, message: PaymentMessage): Promise<'delivered' | 'closed'>;
  /** Finds the payment holding a Dfns transfer or approval, for events that do not carry our externalId. */
  findPayment(by: { transferId?: string; approvalId?: string }): Promise<string | undefined>;
}

const quoted = (value: string) => `'${value.replace(/['\\]/g, '')}'`;

/** Signals payments through Temporal, giving up after `timeoutMs` so the bridge can answer 503 and Dfns redelivers. */
export function createTemporalSignaler(client: Client, timeoutMs = 5_000): PaymentSignaler {
  const within = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + timeoutMs, fn);
  return {
    async signal(paymentId, message) {
      const handle = client.workflow.getHandle(paymentId);
      try {
        await within(() =>
          message.kind === 'transfer' ? handle.signal(transferUpdateSignal, message.update) : handle.signal(approvalUpdateSignal, message.update),
        );
        return 'delivered';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return 'closed';
        throw error;
      }
    },
    async findPayment({ transferId, approvalId }) {
      const clause = transferId ? `DfnsTransferId = ${quoted(transferId)}` : approvalId ? `DfnsApprovalId = ${quoted(approvalId)}` : undefined;
      if (!clause) return undefined;
      return within(async () => {
        for await (const execution of client.workflow.list({ query: `WorkflowType = 'paymentWorkflow' AND ${clause}`, pageSize: 1 })) {
          return execution.workflowId;
        }
        return undefined;
      });
    },
  };
}
