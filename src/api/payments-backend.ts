import type { PaymentBody } from '../contracts/payment-request';
import type { PaymentState } from '../contracts/payment-state';
import type { PaymentStatus } from '../contracts/payment-status';
import type { OperatorResult } from '../contracts/payment-messages';
import type { PaymentPage } from './payment-view';

/** Listing filters, already validated; the client filter is always set by the API, never by the caller. */
export interface PaymentFilter {
  clientId: string;
  status?: PaymentStatus;
  walletId?: string;
  network?: string;
  asset?: string;
  stuck?: boolean;
  createdAfter?: string;
  createdBefore?: string;
  limit: number;
  cursor?: string;
}

/** What starting a payment found: the payment (new or existing) and whether this call created it. */
export type StartResult =
  | { kind: 'started' | 'existing'; state: PaymentState }
  /** The key already names a payment with a different request. */
  | { kind: 'conflict'; paymentId: string };

/** Operator actions, by their API names. */
export type OperatorAction = 'cancel' | 'retry' | 'speed-up';

/**
 * An operator action's outcome: done; accepted by the payment but not done within the call (it waits its turn in the
 * Dfns budget, and goes on); refused by the payment's state (with the reason); or no such payment.
 */
export type ActionResult =
  | { kind: 'done'; result: OperatorResult }
  | { kind: 'accepted' }
  | { kind: 'refused'; reason: string }
  | { kind: 'not-found' };

/** What the API needs from the payment engine; Temporal in production, a fake in route tests. */
export interface PaymentsBackend {
  start(clientId: string, idempotencyKey: string, body: PaymentBody): Promise<StartResult>;
  /** The payment's state, or undefined when there is none. */
  get(paymentId: string): Promise<PaymentState | undefined>;
  /**
   * Long-polls: the state once its version differs from `seen` (or it is final), 'unchanged' when `waitMs` passed
   * first, undefined when there is no such payment.
   */
  waitForChange(paymentId: string, seen: number, waitMs: number): Promise<PaymentState | 'unchanged' | undefined>;
  list(filter: PaymentFilter): Promise<PaymentPage>;
  /** `idempotencyKey`: the same key for the same action on the same payment is the same action. */
  act(
    paymentId: string,
    action: OperatorAction,
    request: { operator: string; reason?: string },
    idempotencyKey?: string,
  ): Promise<ActionResult>;
  /** Problems that make the API unable to serve (Temporal unreachable, search attributes missing); empty = ready. */
  readiness(): Promise<string[]>;
}

/** Thrown by a backend when the cursor a caller sent is not one it issued; the API answers 400. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}
