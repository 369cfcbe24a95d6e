import { z } from '@hono/zod-openapi';
import { FINDING_KINDS } from '../contracts/reconciliation-findings';

const difference = z
  .object({ field: z.string(), orchestrator: z.string().optional(), dfns: z.string().optional() })
  .openapi('FindingDifference', { description: 'What the orchestrator holds, and what Dfns says' });

/** One reconciliation finding, open or acknowledged. */
export const findingSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable: the same fact found again is the same finding' }),
    kind: z.enum(FINDING_KINDS),
    walletId: z.string(),
    summary: z.string(),
    detectedAt: z.string(),
    run: z.number().int(),
    paymentId: z.string().optional(),
    externalId: z.string().optional(),
    transferIds: z.array(z.string()).optional(),
    asset: z.string().optional(),
    differences: z.array(difference).optional(),
    acknowledged: z
      .object({ by: z.string(), reason: z.string(), at: z.string() })
      .optional()
      .openapi({ description: 'Who acknowledged it, why and when; absent while it is open' }),
  })
  .openapi('ReconciliationFinding');

const walletRun = z.object({
  walletId: z.string(),
  transfers: z.number().int(),
  running: z.number().int().openapi({ description: 'Transfers of payments still running, compared once they close' }),
  historyEvents: z.number().int(),
  balance: z.enum(['checked', 'baseline', 'moving', 'failed']).optional(),
  dfnsReads: z.number().int(),
  error: z.string().optional(),
});

const runSummary = z
  .object({
    run: z.number().int(),
    trigger: z.enum(['schedule', 'operator']),
    requestedBy: z.string().optional(),
    startedAt: z.string(),
    finishedAt: z.string(),
    wallets: z.array(walletRun),
    newFindings: z.number().int(),
  })
  .openapi('ReconciliationRun');

const checkpoint = z.object({
  takenAt: z.string().optional(),
  balances: z
    .record(z.string(), z.string())
    .optional()
    .openapi({ description: 'Per asset ("Native", or a contract or mint), minimum units' }),
  historyHead: z.object({ key: z.string(), timestamp: z.string() }).optional(),
  newestTransferAt: z.string().optional(),
});

/** A reconciliation: what it covers, where each wallet stands, its findings and its latest runs. */
export const reconciliationViewSchema = z
  .object({
    reconciliationId: z.string(),
    scope: z.union([
      z.object({ kind: z.literal('wallet'), walletId: z.string() }),
      z.object({ kind: z.literal('pool'), pool: z.string() }),
    ]),
    wallets: z.array(z.string()),
    checkpoints: z.record(z.string(), checkpoint),
    findings: z.array(findingSchema),
    acknowledgedOmitted: z
      .number()
      .int()
      .openapi({ description: 'Acknowledged findings no longer listed (the oldest, beyond the cap)' }),
    openOmitted: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'Findings the latest run made beyond the open cap, by kind: counted, not listed' }),
    runs: z.array(runSummary),
    runCount: z.number().int(),
    running: z.object({ run: z.number().int(), startedAt: z.string() }).optional(),
    queued: z.number().int(),
  })
  .openapi('Reconciliation');

/** A reconciliation in a listing. */
export const reconciliationListSchema = z
  .object({
    items: z.array(
      z.object({
        reconciliationId: z.string(),
        wallets: z.array(z.string()),
        openFindings: z.number().int(),
        running: z.boolean(),
      }),
    ),
  })
  .openapi('ReconciliationList');
