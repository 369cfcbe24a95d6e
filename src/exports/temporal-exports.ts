import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { ledgerEntry, LEDGER_MEMO_KEY, readLedgerEntry } from '../contracts/ledger-entry';
import { paymentStateQuery } from '../contracts/payment-messages';
import { PaymentClientIdKey, PaymentStatusKey } from '../contracts/search-attributes';
import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';
import { queryClosedRun } from '../temporal/workflow-reads';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { cursorSeal } from '../api/visibility-page';
import { exportRow, type ExportRow } from './export-row';

/** Which payments to export: those that closed in [from, to), of one client (or every payment, on Temporal). */
export interface ExportQuery {
  from: string;
  to: string;
  /** The client whose payments to export; undefined: every payment (operators on Temporal only). */
  clientId?: string;
  limit: number;
  cursor?: string;
}

/** One page of rows and the cursor to the next. `queried`: closed payments read by query (no ledger in the memo). */
export interface ExportPage {
  items: ExportRow[];
  nextCursor?: string;
  scanned: number;
  queried: number;
}

/** The accounting export; Temporal in production, a fake in route tests. */
export interface ExportService {
  page(query: ExportQuery): Promise<ExportPage>;
}

/** The most payments one visibility request lists (Temporal's own default limit). */
export const MAX_EXPORT_PAGE = 1000;

/** Thrown for an export whose window is not one: the API answers 400. */
export class ExportRangeError extends Error {
  override name = 'ExportRangeError';
}

/** An export's times: ISO 8601 date-times with a zone, as the API's contract has them. */
const ISO_TIME = z.iso.datetime({ offset: true });

/**
 * The visibility query of an export: completed payments (the last run of each) that closed in the window and ended
 * Confirmed or Failed (the endings that can have moved money), of one client. Times are RFC 3339, as parsed.
 */
export function exportQuery(query: Pick<ExportQuery, 'from' | 'to' | 'clientId'>): string {
  for (const field of ['from', 'to'] as const)
    if (!ISO_TIME.safeParse(query[field]).success)
      throw new ExportRangeError(`${field} must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z`);
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw new ExportRangeError('to must be after from');
  const clauses = [
    PAYMENT_WORKFLOWS_CLAUSE,
    `ExecutionStatus = 'Completed'`,
    `${PaymentStatusKey.name} IN ('Confirmed', 'Failed')`,
    `CloseTime >= '${from.toISOString()}'`,
    `CloseTime < '${to.toISOString()}'`,
  ];
  if (query.clientId !== undefined) clauses.push(`${PaymentClientIdKey.name} = '${query.clientId}'`);
  return clauses.join(' AND ');
}

/**
 * Exports on Temporal visibility: one listing request per page, each closed payment's outcome read from the ledger
 * entry it published in its memo. A payment that closed before payments published one is read by query, which is
 * allowed on a closed payment (its history is final) and costs a replay on a worker; the page counts them.
 */
export function createTemporalExports(
  temporal: Client,
  options: {
    namespace: string;
    /** Seals the JSON pages' cursors (API_CURSOR_SECRET); unset: a random key, so cursors last as long as the process. */
    cursorSecret?: string | Uint8Array;
  },
): ExportService {
  const cursors = cursorSeal(options.cursorSecret ?? randomBytes(32));
  const converter = temporal.options.loadedDataConverter;

  const ledgerOf = async (workflowId: string, runId: string, memo: Record<string, Payload> | undefined) => {
    const decoded = await decodeMapFromPayloads(converter, memo);
    const published = readLedgerEntry(decoded?.[LEDGER_MEMO_KEY]);
    if (published) return { ledger: published, queried: false };
    // Listed closed by the export's query, so the run is closed; queryClosedRun checks it again before querying.
    const state = await queryClosedRun(temporal, workflowId, runId, paymentStateQuery);
    if (!state) throw new Error(`payment ${workflowId} run ${runId} is running: it has no row yet`);
    return { ledger: ledgerEntry(state), queried: true };
  };

  return {
    async page(query) {
      const text = exportQuery(query);
      const nextPageToken = query.cursor ? cursors.open(query.cursor, text) : undefined;
      const response = await temporal.workflowService.listWorkflowExecutions({
        namespace: options.namespace,
        query: text,
        pageSize: Math.min(query.limit, MAX_EXPORT_PAGE),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      const executions = response.executions ?? [];
      const items: ExportRow[] = [];
      let queried = 0;
      for (const execution of executions) {
        const workflowId = execution.execution?.workflowId ?? '';
        const runId = execution.execution?.runId ?? '';
        const memo = execution.memo?.fields ?? undefined;
        const read = await ledgerOf(workflowId, runId, memo);
        if (read.queried) queried += 1;
        // A client's export holds its own payments only, whatever the listing returned.
        if (query.clientId !== undefined && read.ledger.clientId !== query.clientId) continue;
        const row = exportRow(workflowId, read.ledger);
        if (row) items.push(row);
      }
      const token = response.nextPageToken;
      return {
        items,
        scanned: executions.length,
        queried,
        ...(token && token.length > 0 ? { nextCursor: cursors.seal(token, text) } : {}),
      };
    },
  };
}

/** Every row of an export, page after page (each page one visibility request). */
export async function* exportRows(
  exports: ExportService,
  query: Omit<ExportQuery, 'cursor' | 'limit'>,
): AsyncGenerator<ExportPage> {
  let cursor: string | undefined;
  do {
    const page = await exports.page({ ...query, limit: MAX_EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
    yield page;
    cursor = page.nextCursor;
  } while (cursor);
}
