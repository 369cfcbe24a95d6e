/** Workflow ids are derived from the caller's idempotency key, so a retried start finds the same payment. */
const PREFIX = 'payment:';
const ATTEMPT_SUFFIX = /:a([1-9][0-9]*)$/;

/** API clients (tenants) are named in the id, so their alphabet is narrow too and never contains ":". */
export const CLIENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The payment id (= Temporal workflow id) for an idempotency key, scoped to the client that sent it: two clients
 * using the same key get two payments. Trusted callers on Temporal itself (the CLI, PaymentClient) pass no client.
 * Neither keys nor client ids contain ":", so `payment:<client>:<key>` never collides with `payment:<key>`.
 */
export function paymentIdFor(idempotencyKey: string, clientId?: string): string {
  if (clientId === undefined) return `${PREFIX}${idempotencyKey}`;
  if (!CLIENT_ID_PATTERN.test(clientId))
    throw new RangeError(`client id must match ${CLIENT_ID_PATTERN}, got "${clientId}"`);
  return `${PREFIX}${clientId}:${idempotencyKey}`;
}

/** True when a payment id belongs to this client: the API answers 404 for any other, without asking Temporal. */
export function isClientPaymentId(paymentId: string, clientId: string): boolean {
  const prefix = `${PREFIX}${clientId}:`;
  return (
    paymentId.startsWith(prefix) && paymentId.length > prefix.length && !paymentId.slice(prefix.length).includes(':')
  );
}

/** The client a payment id names (`payment:<client>:<key>`), or undefined for an id without one (`payment:<key>`). */
export function clientOfPaymentId(paymentId: string): string | undefined {
  if (!paymentId.startsWith(PREFIX)) return undefined;
  const parts = paymentId.slice(PREFIX.length).split(':');
  return parts.length === 2 && CLIENT_ID_PATTERN.test(parts[0] as string) && parts[1] ? parts[0] : undefined;
}

/** The Dfns externalId of one submission attempt; a retried attempt gets a new one, a retried activity the same. */
export function transferExternalId(paymentId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
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

const BATCH_PREFIX = 'batch:';

/**
 * A batch's workflow id, scoped to its client like a payment's. Batch keys have no ".", so the payment key a row
 * derives (`<batchKey>.<rowKey>`) names one batch and one row, never two.
 */
export function batchIdFor(batchKey: string, clientId?: string): string {
  if (clientId === undefined) return `${BATCH_PREFIX}${batchKey}`;
  if (!CLIENT_ID_PATTERN.test(clientId))
    throw new RangeError(`client id must match ${CLIENT_ID_PATTERN}, got "${clientId}"`);
  return `${BATCH_PREFIX}${clientId}:${batchKey}`;
}

/** True when a batch id belongs to this client (its chunk workflows, which add ":chunk:N", do not count). */
export function isClientBatchId(batchId: string, clientId: string): boolean {
  const prefix = `${BATCH_PREFIX}${clientId}:`;
  return batchId.startsWith(prefix) && batchId.length > prefix.length && !batchId.slice(prefix.length).includes(':');
}

/** Whether a string is a batch id (as opposed to the batch key it came from). */
export function isBatchId(value: string): boolean {
  return value.startsWith(BATCH_PREFIX);
}

/**
 * The idempotency key of a batch row's payment: the batch key and the row's own key. The row is an ordinary
 * payment under it, so re-submitting the batch, or the row alone under this key, finds the same payment.
 */
export function batchRowIdempotencyKey(batchKey: string, rowKey: string): string {
  return `${batchKey}.${rowKey}`;
}

/** The workflow id of a batch's chunk `index` (0-based): the chunk workflow holds those rows and their results. */
export function batchChunkId(batchId: string, index: number): string {
  return `${batchId}:chunk:${index}`;
}
