/**
 * The memo key holding a payment's W3C `traceparent` (`00-<trace id>-<span id>-<flags>`): written when the payment
 * starts (by the starter's client interceptor, or by the batch for its child payments), so that the bridge can link
 * a webhook to the payment's trace and the payment's state can name its trace, neither asking a running workflow.
 */
export const TRACE_MEMO_KEY = 'traceparent';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace and span a `traceparent` names, or undefined for anything else (an all-zero id is invalid too). */
export function parseTraceparent(value: unknown): { traceId: string; spanId: string; sampled: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 };
}
