// The reference the payment is measured against: a bare workflow of the same shape (one activity, the same signals
// through the same bridge) and a sink for the bridge benchmark. Deterministic workflow code, like workflows/.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DfnsActivities, SubmitTransferInput } from '../activities/dfns-activities';
import type { PaymentUpdate } from '../src/contracts/payment-update';

/** The signal the bridge sends every payment (src/contracts/payment-messages.ts), by name only. */
const updateSignal = defineSignal<[PaymentUpdate]>('paymentUpdate');

const { submitTransfer } = proxyActivities<Pick<DfnsActivities, 'submitTransfer'>>({
  startToCloseTimeout: '30 seconds',
});

const FINAL = ['Confirmed', 'Failed', 'Rejected'];

/** Submits one transfer, then waits for the webhooks (as signals) until the transfer is final. */
export async function bareTransferWorkflow(input: SubmitTransferInput): Promise<{ status: string; signals: number }> {
  let status = 'Accepted';
  let signals = 0;
  setHandler(updateSignal, (update) => {
    signals += 1;
    // Monotonic like the payment: webhooks may arrive out of order, and a final status stays final.
    if (update.kind === 'transfer' && !FINAL.includes(status)) status = update.status;
  });
  await submitTransfer(input);
  await condition(() => FINAL.includes(status));
  return { status, signals };
}

/** Counts `expected` signals, then ends: the target of the bridge benchmark. */
export async function signalSinkWorkflow(expected: number): Promise<number> {
  let signals = 0;
  setHandler(updateSignal, () => void (signals += 1));
  await condition(() => signals >= expected);
  return signals;
}
