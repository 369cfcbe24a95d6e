import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/** Bytes as protobuf's JSON mapping writes them: standard base64 (the URL-safe alphabet is read too). */
const base64 = z
  .string()
  .max(8 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** One payload in Temporal's JSON form: `{"metadata": {"encoding": "<base64>"}, "data": "<base64>"}`. */
const payloadJson = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});

/**
 * The body of a remote codec server's `/encode` and `/decode` (what the Temporal Web UI and CLI send and expect):
 * `{"payloads": [...]}`, the JSON form of `temporal.api.common.v1.Payloads`. That form leaves an empty list out, so
 * `{}` (an Update with no arguments, say) is no payloads; `null` is read the same way.
 */
export const payloadsBodySchema = z.object({
  payloads: z
    .array(payloadJson)
    .max(10_000)
    .nullish()
    .transform((payloads) => payloads ?? []),
});

export type PayloadsJson = z.infer<typeof payloadsBodySchema>;

/** The JSON form as SDK payloads. */
export function payloadsFromJson(body: PayloadsJson): Payload[] {
  return body.payloads.map((payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  }));
}

/** SDK payloads in the JSON form. */
export function payloadsToJson(payloads: Payload[]): PayloadsJson {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(
        Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      ),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}
