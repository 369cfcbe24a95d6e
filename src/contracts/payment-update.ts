import { z } from 'zod';
import { approvalUpdateSchema } from './approval-update';
import { policyUpdateSchema } from './policy-update';
import { transferUpdateSchema } from './transfer-update';

/**
 * One provider-neutral fact about a payment: a transfer, an approval or a triggered policy, told apart by `kind`.
 * The bridge maps each verified webhook to one and delivers it as the one `paymentUpdate` signal; activities return
 * the member types directly. Nothing here names Dfns: the Dfns adapter (src/dfns/) builds these.
 */
export const paymentUpdateSchema = z.discriminatedUnion('kind', [
  transferUpdateSchema,
  approvalUpdateSchema,
  policyUpdateSchema,
]);

export type PaymentUpdate = z.infer<typeof paymentUpdateSchema>;
