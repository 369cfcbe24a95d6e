import { parseArgs } from 'node:util';
import { z } from 'zod';

/** `npm run chaos -- --help`. */
export const USAGE = `usage: npm run chaos -- [--n N] [--timeout SECONDS] [--rate PER_SECOND] [--drop PCT]
  [--duplicate PCT] [--reorder PCT] [--http-429 PCT] [--http-5xx PCT] [--keep]

Runs N payments (default 50) through the real stack under faults, compares each final state with the sandbox's
ground truth and prints lost, duplicate, mismatched and accepted-forgery counts. Exit codes: 0 all four are 0 and
the checker caught every planted fault; 1 otherwise; 2 bad arguments.
  --timeout   bound for the whole run, start to last final state (default 240 + N/2 seconds)
  --rate      payments started per second (default 10)
  --drop, --duplicate, --reorder   webhook faults, percent of deliveries (defaults 5, 10, 10)
  --http-429, --http-5xx           Dfns calls answered 429 / 5xx, percent of calls (defaults 5, 5)
  --keep      keep the run directory (logs, Temporal database) even when the run is clean`;

const pct = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be 0 to 100')
    .max(100, 'must be 0 to 100')
    .default(fallback);

const OptionsSchema = z.object({
  n: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(100_000).default(50),
  timeout: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(10).max(86_400).optional(),
  rate: z.coerce.number({ error: 'must be a number' }).min(0.1).max(1000).default(10),
  drop: pct(5),
  duplicate: pct(10),
  reorder: pct(10),
  'http-429': pct(5),
  'http-5xx': pct(5),
  keep: z.boolean().default(false),
});

/** The run's options with defaults applied. */
export interface ChaosOptions {
  n: number;
  timeoutSeconds: number;
  perSecond: number;
  dropPct: number;
  duplicatePct: number;
  reorderPct: number;
  http429Pct: number;
  http5xxPct: number;
  keep: boolean;
}

/** Parses the command line; a problem comes back as a message naming the flag, `help` when asked for. */
export function parseChaosArgs(argv: string[]): { ok: true; options: ChaosOptions } | { ok: false; message: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    const string = { type: 'string' } as const;
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...{ n: string, timeout: string, rate: string, drop: string, duplicate: string, reorder: string },
        ...{ 'http-429': string, 'http-5xx': string, keep: { type: 'boolean' }, help: { type: 'boolean' } },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (values.help) return { ok: false, message: 'help' };
  const parsed = OptionsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `--${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}` };
  }
  const o = parsed.data;
  return {
    ok: true,
    options: {
      n: o.n,
      timeoutSeconds: o.timeout ?? Math.ceil(240 + o.n / 2),
      perSecond: o.rate,
      dropPct: o.drop,
      duplicatePct: o.duplicate,
      reorderPct: o.reorder,
      http429Pct: o['http-429'],
      http5xxPct: o['http-5xx'],
      keep: o.keep,
    },
  };
}
