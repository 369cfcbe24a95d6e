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
