// A stand-in registered under the payment's workflow type whose commands the real payment code never issues (a timer
// first), so a completed run of it is a payment history the current code cannot replay.
import { sleep } from '@temporalio/workflow';
import type { PaymentOutcome, PaymentWorkflowInput } from '../../../src/contracts/payment-messages';

export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentOutcome> {
  await sleep(1);
  return {
    paymentId: input.paymentId,
    status: 'Confirmed',
    attempt: 1,
    externalId: `${input.paymentId}:a1`,
    transferId: 'xfr-unreplayable',
    txHash: `0x${'b'.repeat(64)}`,
  };
}
