import type { BatchService } from '../../src/batches/batch-service';
import { requestHash } from '../../src/client/request-hash';
import {
  initialProgress,
  rowAssetKey,
  totalsOf,
  type BatchProgress,
  type BatchRowResult,
} from '../../src/contracts/batch-messages';
import type { BatchRow } from '../../src/contracts/batch-row';
import { batchIdFor, batchRowIdempotencyKey, paymentIdFor } from '../../src/contracts/payment-id';

/** An in-memory batch service for route tests: it keeps what it was given and reports every row Confirmed. */
export function fakeBatchService() {
  const batches = new Map<string, { progress: BatchProgress; rows: BatchRow[]; hash: string; key: string }>();
  const calls: string[] = [];
  const service: BatchService = {
    async start(clientId, batchKey, rows, options = {}) {
      calls.push('start');
      const batchId = batchIdFor(batchKey, clientId);
      const hash = requestHash(rows);
      const found = batches.get(batchId);
      if (found)
        return found.hash === hash ? { kind: 'existing', progress: found.progress } : { kind: 'conflict', batchId };
      const progress = initialProgress({
        batchId,
        batchKey,
        ...(clientId ? { clientId } : {}),
        total: rows.length,
        totals: totalsOf(rows),
        chunks: 1,
        concurrency: options.concurrency ?? 20,
      });
      batches.set(batchId, { progress, rows, hash, key: batchKey });
      return { kind: 'started', progress };
    },
    async progress(batchId) {
      return batches.get(batchId)?.progress;
    },
    async report(batchId) {
      const batch = batches.get(batchId);
      if (!batch) return undefined;
      const rows: BatchRowResult[] = batch.rows.map((row) => ({
        row: row.row,
        key: row.key,
        paymentId: paymentIdFor(batchRowIdempotencyKey(batch.key, row.key), batch.progress.clientId),
        status: 'Confirmed',
        asset: rowAssetKey(row),
        amount: row.body.amount,
        txHash: `0x${'ab'.repeat(32)}`,
      }));
      return { progress: batch.progress, rows };
    },
    async cancel(batchId, request) {
      const batch = batches.get(batchId);
      if (!batch) return { kind: 'not-found' };
      if (batch.progress.status !== 'Running') return { kind: 'refused', reason: 'cannot cancel: already cancelling' };
      batch.progress = { ...batch.progress, status: 'Cancelling', cancelReason: `cancelled: ${request.reason ?? ''}` };
      return { kind: 'done', progress: batch.progress };
    },
  };
  return { service, batches, calls };
}
