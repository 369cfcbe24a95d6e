// A stand-in for closed payments, for the export benchmark: registered under the payment's workflow type, it returns
// at once (no Dfns) and answers the payment's state query from its input, so the export reads it exactly as it reads a
// closed payment: from the ledger entry in its memo, or, for one started without it, through the query.
import { defineQuery, setHandler } from '@temporalio/workflow';
import type { PaymentState } from '../src/contracts/payment-state';

const paymentStateQuery = defineQuery<PaymentState>('paymentState');

/** Closes at once with the outcome its state says. */
export async function paymentWorkflow(input: { state: PaymentState }): Promise<{ paymentId: string; status: string }> {
  setHandler(paymentStateQuery, () => input.state);
  return Promise.resolve({ paymentId: input.state.paymentId, status: input.state.status });
}
