import { z } from '@hono/zod-openapi';
import { BATCH_ROW_STATUSES, BATCH_STATUSES } from '../contracts/batch-messages';

const amount = z.string().openapi({ pattern: '^-?[0-9]+$', description: 'Integer in minimum units' });
const tally = z
  .object({
    count: z.number().int(),
    amounts: z.record(z.string(), amount).openapi({ description: 'Sum per asset (`network:Native|contract|mint`)' }),
  })
  .openapi('BatchStatusTally');

/** A batch's aggregate progress: rows and amounts per status. */
export const batchProgressSchema = z
  .object({
    batchId: z.string(),
    clientId: z.string().optional(),
    status: z.enum(BATCH_STATUSES),
    total: z.number().int(),
    byStatus: z.object(
      Object.fromEntries(BATCH_ROW_STATUSES.map((status) => [status, tally])) as Record<
        (typeof BATCH_ROW_STATUSES)[number],
        typeof tally
      >,
    ),
    concurrency: z.number().int(),
    chunks: z.number().int(),
    chunksDone: z.number().int(),
    cancelReason: z.string().optional(),
    run: z.number().int(),
  })
  .openapi('BatchProgress');

/** One row of a batch report. */
export const batchRowResultSchema = z
  .object({
    row: z.number().int(),
    key: z.string(),
    paymentId: z.string(),
    status: z.enum(BATCH_ROW_STATUSES),
    asset: z.string(),
    amount,
    transferId: z.string().optional(),
    txHash: z.string().optional(),
    reason: z.string().optional(),
    failureType: z.string().optional(),
  })
  .openapi('BatchRowResult');

/** A batch report: its progress and every final row. */
export const batchReportSchema = z
  .object({ progress: batchProgressSchema, rows: z.array(batchRowResultSchema) })
  .openapi('BatchReport');
