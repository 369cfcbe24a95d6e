/** The most recent deliveries the log keeps; older ones are forgotten first. */
export const DELIVERY_LOG_CAPACITY = 20_000;

/** One delivery exactly as it went on the wire: the body bytes and the headers, signature included. */
export interface SentDelivery {
  webhookId: string;
  url: string;
  /** The envelope id (`whe-…`); a duplicated attempt is logged twice with the same id. */
  eventId: string;
  kind: string;
  /** Real time the request was sent (epoch ms). */
  sentAt: number;
  headers: Record<string, string>;
  body: string;
  /** The endpoint's HTTP status as a string, '0' when none came back. */
  status: string;
}

/** Webhook faults applied, by kind. */
export interface AppliedWebhookFaults {
  dropped: number;
  duplicated: number;
  reordered: number;
}

const noneApplied = (): AppliedWebhookFaults => ({ dropped: 0, duplicated: 0, reordered: 0 });

/**
 * In-memory log of raw signed deliveries for replay and tampering tests (`GET /_sandbox/deliveries`). Not
 * persisted: a restarted sandbox starts an empty log. Bounded, so a long run cannot grow it without limit.
 */
export function createDeliveryLog(capacity = DELIVERY_LOG_CAPACITY) {
  let entries: SentDelivery[] = [];
  let faults = noneApplied();
  return {
    /** How many deliveries each webhook fault hit since start or the last reset. */
    get faults(): Readonly<AppliedWebhookFaults> {
      return faults;
    },
    applied(fault: keyof AppliedWebhookFaults): void {
      faults[fault] += 1;
    },
    record(entry: SentDelivery): void {
      entries.push(entry);
      if (entries.length > capacity) entries = entries.slice(entries.length - capacity);
    },
    /** Oldest first. */
    list(): readonly SentDelivery[] {
      return entries;
    },
    clear(): void {
      entries = [];
      faults = noneApplied();
    },
  };
}

/** The delivery log. */
export type DeliveryLog = ReturnType<typeof createDeliveryLog>;
