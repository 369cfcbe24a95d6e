import { Client, type Connection } from '@temporalio/client';
import type { BatchReport, BatchService } from '../batches/batch-service';
import { createTemporalBatches } from '../batches/temporal-batches';
import type { BatchProgress } from '../contracts/batch-messages';
import type { BatchRow, RowProblem } from '../contracts/batch-row';
import { ConfigError, type Config } from '../config';
import { paymentTimingsFromConfig } from '../payment-timings-config';
import { connectTemporalClient } from '../temporal/connection';
import { paymentDataConverter } from '../temporal/data-converter';
import { cliPayloadCodec } from './cli-codec';
import { ApiAccessError, UnavailableError } from './payments-gateway';
import { UsageError } from './run-cli';

/** What `payments batch` needs, through Temporal or the payments API. */
export interface BatchGateway {
  /** Starts the batch from the validated rows (Temporal) or the CSV text itself (API, which validates it again). */
  start(
    batchKey: string,
    rows: BatchRow[],
    csv: string,
    concurrency?: number,
  ): Promise<{ progress: BatchProgress; created: boolean }>;
  progress(batchId: string): Promise<BatchProgress>;
  report(batchId: string): Promise<BatchReport>;
  close(): Promise<void>;
}

/** The key was already used for a batch with other rows. */
export class BatchConflictError extends Error {
  override name = 'BatchConflictError';
}

/** Rows refused when the batch was started (e.g. a row's key already names another payment); nothing started. */
export class BatchRowsRefusedError extends Error {
  override name = 'BatchRowsRefusedError';
  constructor(readonly problems: RowProblem[]) {
    super(`${problems.length} problem(s) in the rows`);
  }
}

/** The API's `row N.field` errors as row problems. */
function rowProblemsFrom(errors: readonly { field: string; message: string }[]): RowProblem[] {
  return errors.map(({ field, message }) => {
    const match = /^row (\d+)\.(.+)$/.exec(field);
    return match ? { row: Number(match[1]), field: match[2] as string, message } : { row: 0, field, message };
  });
}

/** On Temporal directly: batches belong to PAYMENTS_CLIENT_ID (or to no client), like the CLI's payments. */
export async function connectTemporalBatches(config: Config): Promise<BatchGateway> {
  // Read first: unusable codec keys are a configuration error, reported before anything connects.
  const dataConverter = paymentDataConverter(cliPayloadCodec(config));
  let connection: Connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UnavailableError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  const timings = paymentTimingsFromConfig(config);
  const batches: BatchService = createTemporalBatches(
    new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }),
    { taskQueue: config.TEMPORAL_TASK_QUEUE, ...(timings ? { paymentTimings: timings } : {}) },
  );
  const found = async <T>(batchId: string, read: Promise<T | undefined>): Promise<T> => {
    const value = await read;
    if (value === undefined) throw new UnavailableError(`batch ${batchId} disappeared`);
    return value;
  };
  return {
    async start(batchKey, rows, _csv, concurrency) {
      const options = concurrency ? { concurrency } : {};
      const result = await batches.start(config.PAYMENTS_CLIENT_ID, batchKey, rows, options);
      if (result.kind === 'conflict') throw new BatchConflictError(`key "${batchKey}" was already used for other rows`);
      if (result.kind === 'invalid-rows') throw new BatchRowsRefusedError(result.problems);
      return { progress: result.progress, created: result.kind === 'started' };
    },
    progress: (batchId) => found(batchId, batches.progress(batchId)),
    report: (batchId) => found(batchId, batches.report(batchId)),
    close: () => connection.close(),
  };
}

/** Through the payments API with the key in PAYMENTS_API_KEY: the CSV is uploaded as it is (text/csv). */
export function apiBatches(baseUrl: string, apiKey: string | undefined): BatchGateway {
  if (!apiKey) throw new UsageError('--api needs PAYMENTS_API_KEY (an API key from `payments mint-key`)');
  const base = baseUrl.replace(/\/+$/, '');
  async function call<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string>) },
      });
    } catch (error) {
      throw new UnavailableError(`cannot reach the API at ${baseUrl}: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as T & {
      detail?: string;
      type?: string;
      errors?: { field: string; message: string }[];
    };
    if (response.ok) return { status: response.status, body };
    const detail = body.detail ?? `HTTP ${response.status}`;
    if (response.status === 422) throw new BatchConflictError(detail);
    if (response.status === 400 && body.type === 'urn:problem:payments:invalid_rows' && body.errors)
      throw new BatchRowsRefusedError(rowProblemsFrom(body.errors));
    if ([401, 403, 429].includes(response.status)) throw new ApiAccessError(`the API refused the key: ${detail}`);
    if (response.status < 500) throw new UsageError(`the API refused the batch: ${detail}`);
    throw new UnavailableError(`the API failed: ${detail}`);
  }
  const path = (batchId: string) => `/v1/batches/${encodeURIComponent(batchId)}`;
  return {
    async start(batchKey, _rows, csv, concurrency) {
      const query = concurrency ? `?concurrency=${concurrency}` : '';
      const { status, body } = await call<BatchProgress>(`/v1/batches${query}`, {
        method: 'POST',
        headers: { 'idempotency-key': batchKey, 'content-type': 'text/csv' },
        body: csv,
      });
      return { progress: body, created: status === 201 };
    },
    progress: async (batchId) => (await call<BatchProgress>(path(batchId))).body,
    report: async (batchId) => (await call<BatchReport>(`${path(batchId)}/report`)).body,
    close: () => Promise.resolve(),
  };
}
