// The reference the memory benchmark measures a payment against: a bare workflow of the same shape (one activity,
// three signals, then waiting, its status in a search attribute), with nothing of the payment's own code.
import { condition, defineSignal, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { PaymentStatusKey } from '../src/contracts/search-attributes';

export const bareUpdateSignal = defineSignal<[{ status: string }]>('bareUpdate');
export const bareLegacyTransferSignal = defineSignal<[{ status: string }]>('bareLegacyTransfer');
export const bareLegacyApprovalSignal = defineSignal<[{ status: string }]>('bareLegacyApproval');

/** The bare worker's one activity, standing in for the payment's submit. */
export interface BareActivities {
  submit(): Promise<{ status: string }>;
}

const { submit } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

/** Submits, parks (status AwaitingApproval, like a payment), and ends once a signal says Approved. */
export async function bareWorkflow(): Promise<string> {
  let status = 'Submitted';
  const take = (update: { status: string }) => void (status = update.status);
  setHandler(bareUpdateSignal, take);
  setHandler(bareLegacyTransferSignal, take);
  setHandler(bareLegacyApprovalSignal, take);
  status = (await submit()).status;
  upsertSearchAttributes([{ key: PaymentStatusKey, value: status }]);
  await condition(() => status === 'Approved');
  upsertSearchAttributes([{ key: PaymentStatusKey, value: status }]);
  return status;
}
