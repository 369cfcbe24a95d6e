import { Client, type Connection } from '@temporalio/client';
import type { Finding } from '../contracts/reconciliation-findings';
import { parseReconciliationId, type ReconciliationScope } from '../contracts/reconciliation-messages';
import { createPaymentsApiClient, type ApiProblem } from '../client/payments-api-client';
import { ConfigError, type Config } from '../config';
import { loadPoolFile } from '../pools/load-pool-file';
import { UnknownPoolError } from '../reconciliation/reconciliation-start';
import { viewOf, type ReconciliationView } from '../reconciliation/reconciliation-view';
import { createTemporalReconciliations } from '../reconciliation/temporal-reconciliations';
import { connectTemporalClient } from '../temporal/connection';
import { paymentDataConverter } from '../temporal/data-converter';
import { cliPayloadCodec } from './cli-codec';
import { ApiAccessError, UnavailableError } from './payments-gateway';
import { UsageError } from './run-cli';

/** No such reconciliation (or, through the API, none the key's client may see), or no such finding. */
export class ReconciliationNotFoundError extends Error {
  override name = 'ReconciliationNotFoundError';
}

/** The finding cannot be acknowledged now: it was already. */
export class AcknowledgeRefusedError extends Error {
  override name = 'AcknowledgeRefusedError';
}

/** One reconciliation in a listing. */
export interface ListedReconciliation {
  reconciliationId: string;
  wallets: string[];
  openFindings: number;
  running: boolean;
}

/** What `payments reconcile` does, through Temporal or the payments API. */
export interface ReconcileGateway {
  view(id: string): Promise<ReconciliationView>;
  run(
    id: string,
    options: { full: boolean; operator: string; waitMs: number },
  ): Promise<{ view: ReconciliationView; finished: boolean }>;
  acknowledge(id: string, request: { findingId: string; reason: string; operator: string }): Promise<Finding>;
  list(): Promise<ListedReconciliation[]>;
  close(): Promise<void>;
}

/** The scope a user named: a reconciliation id, a wallet id, or `pool:NAME`. */
export function scopeOf(target: string): ReconciliationScope {
  const parsed = parseReconciliationId(target);
  if (parsed) return parsed;
  if (/^wa-[A-Za-z0-9-]+$/.test(target)) return { kind: 'wallet', walletId: target };
  const pool = /^pool:([a-z0-9]+(-[a-z0-9]+)*)$/.exec(target);
  if (pool) return { kind: 'pool', pool: pool[1] as string };
  throw new UsageError(`expected a wallet id (wa-…), pool:NAME or a reconciliation id, got "${target}"`);
}

const idOf = (scope: ReconciliationScope) =>
  scope.kind === 'wallet' ? `reconciliation:wallet:${scope.walletId}` : `reconciliation:pool:${scope.pool}`;

/** On Temporal directly (operators): every reconciliation, with the pools file configured here for pool scopes. */
export async function connectTemporalReconcile(config: Config): Promise<ReconcileGateway> {
  // Read first: unusable codec keys are a configuration error, reported before anything connects.
  const dataConverter = paymentDataConverter(cliPayloadCodec(config));
  let connection: Connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UnavailableError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const service = createTemporalReconciliations(client, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    pools: loadPoolFile(config.PAYMENT_POOLS_FILE),
    timings: { lookbackMs: config.RECONCILIATION_LOOKBACK_HOURS * 3_600_000 },
  });
  return {
    async view(id) {
      const state = await service.view(scopeOf(id));
      if (!state) throw new ReconciliationNotFoundError(`no reconciliation ${idOf(scopeOf(id))} (run it first)`);
      return viewOf(state);
    },
    async run(id, { full, operator, waitMs }) {
      try {
        const outcome = await service.run(scopeOf(id), { requestedBy: operator, full }, waitMs);
        return { view: viewOf(outcome.state), finished: outcome.finished };
      } catch (error) {
        if (error instanceof UnknownPoolError) throw new UsageError(error.message);
        throw error;
      }
    },
    async acknowledge(id, request) {
      const outcome = await service.acknowledge(scopeOf(id), request);
      if (outcome.kind === 'done') return outcome.finding;
      if (outcome.kind === 'not-found')
        throw new ReconciliationNotFoundError(`no finding ${request.findingId} in ${id}`);
      if (outcome.kind === 'invalid')
        throw new UsageError(outcome.problems.map((p) => `${p.field} ${p.message}`).join('; '));
      throw new AcknowledgeRefusedError(outcome.reason);
    },
    list: () => service.list(),
    close: () => connection.close(),
  };
}

function refusal(status: number, problem: ApiProblem | undefined): Error {
  const detail = problem?.detail ?? `HTTP ${status}`;
  if (status === 400) return new UsageError(`the API refused the request: ${detail}`);
  if (status === 401 || status === 403 || status === 429)
    return new ApiAccessError(`the API refused the key: ${detail}`);
  if (status === 404) return new ReconciliationNotFoundError(detail);
  if (status === 409) return new AcknowledgeRefusedError(detail);
  return new UnavailableError(`the API failed: ${detail}`);
}

/** Through the payments API, with the key from PAYMENTS_API_KEY (which needs the reconciliation scopes). */
export function apiReconcile(baseUrl: string, apiKey: string | undefined): ReconcileGateway {
  if (!apiKey) throw new UsageError('--api needs PAYMENTS_API_KEY (an API key from `payments mint-key`)');
  const api = createPaymentsApiClient({ baseUrl, apiKey });
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new UnavailableError(`cannot reach the API at ${baseUrl}: ${(error as Error).message}`);
    }
  };
  const path = (id: string) => ({ path: { id: idOf(scopeOf(id)) } });
  return {
    async view(id) {
      const { data, error, response } = await call(() => api.GET('/v1/reconciliations/{id}', { params: path(id) }));
      if (!data) throw refusal(response.status, error);
      return data as ReconciliationView;
    },
    async run(id, { full }) {
      const query = full ? { full: 'true' as const } : {};
      const { data, error, response } = await call(() =>
        api.POST('/v1/reconciliations/{id}/runs', { params: { ...path(id), query } }),
      );
      if (!data) throw refusal(response.status, error);
      return { view: data, finished: response.status === 200 };
    },
    async acknowledge(id, { findingId, reason }) {
      const { data, error, response } = await call(() =>
        api.POST('/v1/reconciliations/{id}/acknowledgements', { params: path(id), body: { findingId, reason } }),
      );
      if (!data) throw refusal(response.status, error);
      return data;
    },
    async list() {
      const { data, error, response } = await call(() => api.GET('/v1/reconciliations'));
      if (!data) throw refusal(response.status, error);
      return data.items;
    },
    close: () => Promise.resolve(),
  };
}
