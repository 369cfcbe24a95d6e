import type { FieldError } from '../contracts/field-errors';

/** The request was refused before any workflow started; `issues` name each bad field. */
export class PaymentValidationError extends Error {
  override name = 'PaymentValidationError';
  constructor(readonly issues: FieldError[]) {
    super(`invalid payment request: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`);
  }
}

/** The idempotency key already belongs to a payment with a different request; nothing new was started. */
export class PaymentConflictError extends Error {
  override name = 'PaymentConflictError';
  constructor(readonly paymentId: string) {
    super(`idempotency key already used for a different request (payment ${paymentId})`);
  }
}

/** No payment has this id. */
export class PaymentNotFoundError extends Error {
  override name = 'PaymentNotFoundError';
  constructor(readonly paymentId: string) {
    super(`no payment ${paymentId}`);
  }
}

/** The payment's state does not allow the operator action (or the action failed); `message` says why. */
export class OperatorActionRefusedError extends Error {
  override name = 'OperatorActionRefusedError';
  constructor(
    readonly paymentId: string,
    reason: string,
  ) {
    super(`${paymentId}: ${reason}`);
  }
}
