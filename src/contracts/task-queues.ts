/**
 * The task queue outcome callbacks run on: the payment's own queue with a suffix. A worker with no Dfns rate
 * limit serves it, so a slow or failing service never spends the Dfns budget and the budget never delays a
 * callback.
 */
export const callbackTaskQueue = (paymentTaskQueue: string): string => `${paymentTaskQueue}-callbacks`;
