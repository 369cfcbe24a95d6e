import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** Per-delivery webhook fault probabilities plus a fixed delay (real ms, not scaled). */
export const WebhookKnobsSchema = z.object({
  drop: probability,
  duplicate: probability,
  reorder: probability,
  delayMs: z.number().finite().min(0),
  /**
   * With `reorder`: hold the delivery this long (real ms, not scaled) instead of until the next delivery, so later
   * events of the same transfer overtake it. 0 keeps the "after the next delivery" hold.
   */
  reorderHoldMs: z.number().finite().min(0).default(0),
});

/**
 * Chain fault modes of `POST /_sandbox/faults/chain`. `expire-blockhash` is Solana's way of failing before the chain:
 * the transaction's blockhash expires before it lands, so the transfer ends Failed with nothing on chain.
 */
export const ChainFaultModeSchema = z.enum(['fail-before-broadcast', 'fail-on-chain', 'stall', 'expire-blockhash']);

/** HTTP statuses `POST /_sandbox/faults/http` can inject. */
export const HttpFaultStatusSchema = z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]);

/** Every armed fault knob; persisted so a restart does not silently disarm a test's faults. */
export const FaultStateSchema = z.object({
  webhooks: z.object({
    /** Applies to every delivery until cleared. */
    standing: WebhookKnobsSchema,
    /** One-shot rules, consumed in order, one delivery at a time. */
    next: z.array(WebhookKnobsSchema.extend({ remaining: z.number().int().min(1) })),
  }),
  http: z.array(
    z.object({
      status: HttpFaultStatusSchema,
      remaining: z.number().int().min(1),
      retryAfterSeconds: z.number().int().min(0).optional(),
      paths: z.string().optional(),
    }),
  ),
  /** Standing per-call probabilities: each Dfns-path request matching `paths` fails with `status` at that rate. */
  httpRates: z
    .array(
      z.object({
        status: HttpFaultStatusSchema,
        probability,
        retryAfterSeconds: z.number().int().min(0).optional(),
        paths: z.string().optional(),
      }),
    )
    .default([]),
  chain: z.array(
    z.object({ mode: ChainFaultModeSchema, remaining: z.number().int().min(1), reason: z.string().optional() }),
  ),
  /** Requests handled normally whose answer is held back (real ms), e.g. to kill a caller mid-request. */
  slow: z
    .array(
      z.object({
        delayMs: z.number().finite().min(0),
        remaining: z.number().int().min(1),
        method: z.string().optional(),
        paths: z.string().optional(),
      }),
    )
    .default([]),
});

/** The armed faults. */
export type FaultState = z.infer<typeof FaultStateSchema>;
/** Webhook knobs for one delivery. */
export type WebhookKnobs = z.infer<typeof WebhookKnobsSchema>;
/** A chain fault mode. */
export type ChainFaultMode = z.infer<typeof ChainFaultModeSchema>;

/** No knob armed. */
export function noFaults(): FaultState {
  return {
    webhooks: { standing: { drop: 0, duplicate: 0, reorder: 0, delayMs: 0, reorderHoldMs: 0 }, next: [] },
    http: [],
    httpRates: [],
    chain: [],
    slow: [],
  };
}
