import type { OperatorRequest, OperatorResult } from '../contracts/payment-messages';
import type { PaymentRequest } from '../contracts/payment-request';
import type { TimelineEntry } from '../contracts/payment-state';
import type { PaymentStatus } from '../contracts/payment-status';

/** What the CLI shows of a payment, the same through Temporal or the API. */
export interface ShownPayment {
  paymentId: string;
  status: PaymentStatus;
  attempt: number;
  /** The wallet paying, once known (for a pool payment: the wallet its pool chose). */
  wallet?: string;
  transferId?: string;
  txHash?: string;
  reason?: string;
  timeline: TimelineEntry[];
  /** How many older routine entries a long-lived payment's bounded timeline left out. */
  timelineSummary?: { omitted: number };
}

/** One listed payment. */
export interface ShownListItem {
  paymentId: string;
  status?: string;
  running: boolean;
  createdAt: string;
}

/** The API refused the key (401, 403) or rate-limited it (429). */
export class ApiAccessError extends Error {
  override name = 'ApiAccessError';
}

/** Temporal or the API cannot be reached, or the API failed. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

/**
 * How the CLI reaches payments: Temporal directly, or the HTTP API (`--api URL`). Both throw the client's errors
 * (PaymentValidationError, PaymentConflictError, PaymentNotFoundError, OperatorActionRefusedError) for refusals.
 */
export interface PaymentsGateway {
  /** Resolves what the user typed (a payment id, or an idempotency key where the mode can derive the id). */
  paymentId(idOrKey: string): string;
  start(request: PaymentRequest): Promise<{ paymentId: string; created: boolean }>;
  get(paymentId: string): Promise<ShownPayment>;
  /**
   * The payment once it changed past version `seen` (see paymentVersion), or undefined when `waitMs` passed without
   * a change: a long-poll, so following a payment costs one Temporal action per change, not a query per tick.
   */
  waitForChange(paymentId: string, seen: number, waitMs: number): Promise<ShownPayment | undefined>;
  list(options: { status?: PaymentStatus; stuck?: boolean; limit: number }): Promise<ShownListItem[]>;
  act(action: 'cancel' | 'retry' | 'speed-up', paymentId: string, request: OperatorRequest): Promise<OperatorResult>;
  close(): Promise<void>;
}
