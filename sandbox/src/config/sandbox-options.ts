import { z } from 'zod';
import { describeIssues } from '../http/validation';

const positive = z.number().finite().positive();

const OptionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8788),
  stateFile: z.string().min(1).optional(),
  credentialsFile: z.string().min(1).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787/webhooks/dfns'),
  timeScale: positive.default(1),
  velocityWindowScale: positive.optional(),
  // Unset: each network's own block time (EthereumSepolia 2000 ms, BaseSepolia 1000 ms).
  blockTimeMs: positive.optional(),
  confirmations: z.number().int().min(0).default(2),
  // Dfns: +1 min, +12 min, +2 h, +1 day after attempts 1–4, so 5 attempts in total.
  webhookRetryDelaysMs: z.array(z.number().finite().min(0)).default([60_000, 720_000, 7_200_000, 86_400_000]),
  prices: z.record(z.string().min(1), z.number().finite().min(0)).default({}),
  autoRejectTimeoutUnit: z.enum(['minutes', 'seconds']).default('minutes'),
  blockMode: z.enum(['rejected-transfer', 'http-403']).default('rejected-transfer'),
  rateLimitPerMinute: z.number().int().min(0).default(1000),
  // The sliding window the limit is counted over (Dfns: a minute); shorter windows allow smaller bursts.
  rateLimitWindowSeconds: z.number().int().min(1).max(60).default(60),
});

/** Options with every default applied. */
export type ResolvedOptions = z.output<typeof OptionsSchema>;

/** Validates programmatic options (an edge like any other) and applies the defaults. */
export function resolveOptions(options: z.input<typeof OptionsSchema>): ResolvedOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`Invalid sandbox options: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
