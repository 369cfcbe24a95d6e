/** Everything a chaos run collects, the checker's only input (plain data, so a copy can be tampered with). */
export interface ChaosData {
  payments: PaymentRecord[];
  /** Every transfer the sandbox holds at the end: Dfns's ground truth. */
  transfers: SandboxTransfer[];
  forgeries: ForgeryAttempt[];
}

/** One payment the run started through the API. */
export interface PaymentRecord {
  paymentId: string;
  /** Whether the API ever answered the start with 201 or 200. */
  accepted: boolean;
  /** The last view read through the API; `final` only once its status is terminal. */
  last?: PaymentSnapshot;
  final?: PaymentSnapshot;
  /** The last error the API answered when reading it (status and problem title), for the report. */
  lastError?: string;
}

/** What the checker reads from a payment view. */
export interface PaymentSnapshot {
  status: string;
  attempt: number;
  externalId: string;
  transferId?: string;
  txHash?: string;
  /** Every webhook delivery id on the payment's timeline: a forged id found here changed the payment. */
  deliveryIds: string[];
  /** Read from the workflow's outcome because its history did not replay: final and checked, but a defect. */
  fromOutcome?: boolean;
}

/** A transfer as `GET /_sandbox/transfers` shows it (the fields the checker reads). */
export interface SandboxTransfer {
  id: string;
  externalId?: string;
  status: string;
  txHash?: string;
}

/** One hostile webhook posted to the app, and how it answered. */
export interface ForgeryAttempt {
  /** forged: a made-up event with a wrong signature; stale: a real delivery replayed past the timestamp window;
   * modified: a real, recent delivery with one byte of its body changed. */
  kind: 'forged' | 'stale' | 'modified';
  /** The event id the body carries; found on a payment's timeline, it means the payment took it. */
  eventId: string;
  /** The payment it is about, when known. */
  paymentId?: string;
  /** The app's HTTP status; 0 when the request failed. */
  status: number;
}

/** Payment statuses nothing may leave. */
export const TERMINAL_STATUSES: readonly string[] = ['Confirmed', 'Failed', 'Rejected', 'Cancelled'];
