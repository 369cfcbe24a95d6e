/** Workflow ids are derived from the caller's idempotency key, so a retried start finds the same payment. */
const PREFIX = 'payment:';
const ATTEMPT_SUFFIX = /:a([1-9][0-9]*)$/;

/** The payment id (= Temporal workflow id) for an idempotency key. */
export function paymentIdFor(idempotencyKey: string): string {
  return `${PREFIX}${idempotencyKey}`;
}

/** The Dfns externalId of one submission attempt; a retried attempt gets a new one, a retried activity the same. */
export function transferExternalId(paymentId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return `${paymentId}:a${attempt}`;
}

/** Whether a string is a payment id (as opposed to the idempotency key it came from). */
export function isPaymentId(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Recovers the payment id and attempt from a Dfns externalId, or undefined when the transfer is not one of ours. */
export function parseTransferExternalId(externalId: string): { paymentId: string; attempt: number } | undefined {
  if (!externalId.startsWith(PREFIX)) return undefined;
  const match = ATTEMPT_SUFFIX.exec(externalId);
  if (!match) return undefined;
  const paymentId = externalId.slice(0, match.index);
  if (paymentId.length === PREFIX.length) return undefined;
  return { paymentId, attempt: Number(match[1]) };
}
