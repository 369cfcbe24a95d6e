import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { PaymentClient } from '../client/payment-client';
import { requestHash } from '../client/request-hash';
import type { BatchRow, RowProblem } from '../contracts/batch-row';
import { batchRowIdempotencyKey, paymentIdFor } from '../contracts/payment-id';
import type { PaymentRequest } from '../contracts/payment-request';
import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';

/** gRPC's UNIMPLEMENTED: a server without a visibility store that lists (Temporal's time-skipping test server). */
const UNIMPLEMENTED = 12;
/** Reads at once when each row's payment id is described instead of listed. */
const DESCRIBE_CONCURRENCY = 16;

interface RowRequest {
  row: BatchRow;
  request: PaymentRequest;
}

/** A field's value as a message shows it. */
const shown = (value: unknown): string =>
  value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

/** The fields of two requests that differ, by canonical value (key order does not count). */
function differingFields(existing: PaymentRequest, wanted: PaymentRequest): string[] {
  const get = (request: PaymentRequest, field: string) => (request as Record<string, unknown>)[field];
  const fields = new Set([...Object.keys(existing), ...Object.keys(wanted)]);
  return [...fields].filter(
    (field) => requestHash(get(existing, field) ?? null) !== requestHash(get(wanted, field) ?? null),
  );
}

/** The payments already holding these ids, with the request digest their starter kept (if any). */
async function existingPayments(
  temporal: Client,
  prefix: string,
  ids: readonly string[],
): Promise<{ workflowId: string; requestHash?: unknown }[]> {
  // Batch keys and client ids hold no quote, so the prefix is safe inside the literal.
  const query = `${PAYMENT_WORKFLOWS_CLAUSE} AND WorkflowId STARTS_WITH '${prefix}'`;
  const found: { workflowId: string; requestHash?: unknown }[] = [];
  try {
    for await (const execution of temporal.workflow.list({ query }))
      found.push({ workflowId: execution.workflowId, requestHash: execution.memo?.requestHash });
    return found;
  } catch (error) {
    const unlisted =
      error instanceof ServiceError && isGrpcServiceError(error.cause) && Number(error.cause.code) === UNIMPLEMENTED;
    if (!unlisted) throw error;
  }
  // No listing on this server: each row's payment id, read directly.
  for (let at = 0; at < ids.length; at += DESCRIBE_CONCURRENCY) {
    const described = await Promise.all(
      ids.slice(at, at + DESCRIBE_CONCURRENCY).map((workflowId) =>
        temporal.workflow
          .getHandle(workflowId)
          .describe()
          .then((d) => ({ workflowId, requestHash: d.memo?.requestHash }))
          .catch((error: unknown) => {
            if (error instanceof WorkflowNotFoundError) return undefined;
            throw error;
          }),
      ),
    );
    for (const payment of described) if (payment) found.push(payment);
  }
  return found;
}

/**
 * The rows whose key already names a payment with another request: a row is the same payment as a single start under
 * `<batchKey>.<rowKey>`, so it must ask for the same thing, or nothing of the batch starts. Found with one listing of
 * the batch key's payment ids (visibility), compared by the request digest the starter kept, named by row and field.
 * A payment started after the listing is caught by the batch workflow itself, which follows it or skips the row.
 */
export async function rowPaymentConflicts(
  temporal: Client,
  clientId: string | undefined,
  batchKey: string,
  rows: readonly BatchRow[],
): Promise<RowProblem[]> {
  const byPaymentId = new Map<string, RowRequest>();
  for (const row of rows) {
    const idempotencyKey = batchRowIdempotencyKey(batchKey, row.key);
    byPaymentId.set(paymentIdFor(idempotencyKey, clientId), { row, request: { ...row.body, idempotencyKey } });
  }
  const prefix = paymentIdFor(batchRowIdempotencyKey(batchKey, ''), clientId);
  const reader = new PaymentClient(temporal, { taskQueue: 'unused: this client only reads' });
  const problems: RowProblem[] = [];
  for (const payment of await existingPayments(temporal, prefix, [...byPaymentId.keys()])) {
    const mine = byPaymentId.get(payment.workflowId);
    if (!mine || payment.requestHash === requestHash(mine.request)) continue;
    const { row, request } = mine;
    // A different digest, or none (a row payment started by an earlier version): the request it holds decides.
    const existing = (await reader.getState(payment.workflowId)).request;
    for (const field of differingFields(existing, request)) {
      problems.push({
        row: row.row,
        field,
        message:
          `payment ${payment.workflowId} already holds this row's key (${request.idempotencyKey}) with ` +
          `${field} ${shown((existing as Record<string, unknown>)[field])}; a row under that key is that payment: ` +
          'send the same request or use another key',
      });
    }
  }
  return problems.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
}
