import { createHash } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type Client,
} from '@temporalio/client';
import { OperatorActionRefusedError, PaymentNotFoundError } from '../client/payment-errors';
import { PaymentClient } from '../client/payment-client';
import { requestHash } from '../client/request-hash';
import { paymentSnapshotUpdate, paymentStateQuery, type PaymentWorkflowInput } from '../contracts/payment-messages';
import { paymentIdFor } from '../contracts/payment-id';
import { paymentRequestSchema, type PaymentBody } from '../contracts/payment-request';
import { paymentSummary } from '../contracts/payment-summary';
import * as keys from '../contracts/search-attributes';
import { missingSearchAttributes } from '../temporal/search-attribute-registry';
import { paymentListQuery } from './payment-list-query';
import type { PaymentListItem } from './payment-view';
import { InvalidCursorError, type PaymentsBackend } from './payments-backend';

/** How long one API call may wait on Temporal before the API answers 503 (e.g. no worker is polling). */
const TEMPORAL_DEADLINE_MS = 10_000;

const attribute = (raw: Record<string, Payload> | null | undefined, name: string): unknown => {
  const payload = raw?.[name];
  return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
};
const text = (value: unknown): string | undefined => (Array.isArray(value) ? value[0] : value) as string | undefined;

const cursorCheck = (token: string, query: string) => createHash('sha256').update(`${query}\n${token}`).digest('base64url').slice(0, 22);

/**
 * A cursor carries Temporal's page token with a check bound to the listing's query: Temporal answers a token it
 * cannot read with an error the SDK retries until the deadline, so a cursor that is not ours, or that belonged to
 * other filters, is refused here instead (400).
 */
function sealCursor(token: Uint8Array, query: string): string {
  const t = Buffer.from(token).toString('base64url');
  return Buffer.from(JSON.stringify({ t, c: cursorCheck(t, query) })).toString('base64url');
}

function openCursor(cursor: string, query: string): Uint8Array {
  let sealed: unknown;
  try {
    sealed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
  const { t, c } = (sealed ?? {}) as { t?: unknown; c?: unknown };
  if (typeof t !== 'string' || typeof c !== 'string' || c !== cursorCheck(t, query)) {
    throw new InvalidCursorError('cursor is not one this API issued for these filters');
  }
  return Buffer.from(t, 'base64url');
}

/**
 * The API's backend on Temporal. Starting a payment is one Update-with-Start: the workflow id comes from the client
 * and the idempotency key, so Temporal itself refuses a second payment for a key, and the read-only `snapshot`
 * Update returns the payment's state (and whether this call created it) in the same round trip.
 */
export function createTemporalPayments(temporal: Client, options: { taskQueue: string; namespace: string }): PaymentsBackend {
  const payments = new PaymentClient(temporal, { taskQueue: options.taskQueue });
  const withDeadline = <T>(call: () => Promise<T>) => temporal.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, call);

  return {
    async start(clientId, idempotencyKey, body: PaymentBody) {
      const request = paymentRequestSchema.parse({ ...body, idempotencyKey });
      const paymentId = paymentIdFor(idempotencyKey, clientId);
      const input: PaymentWorkflowInput = { paymentId, clientId, request };
      const operation = new WithStartWorkflowOperation('paymentWorkflow', {
        workflowId: paymentId,
        taskQueue: options.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash: requestHash(request) },
        staticSummary: paymentSummary(request),
        typedSearchAttributes: [
          { key: keys.PaymentStatusKey, value: 'Accepted' },
          { key: keys.PaymentClientIdKey, value: clientId },
          { key: keys.PaymentWalletKey, value: request.walletId },
          { key: keys.PaymentNetworkKey, value: request.network },
          { key: keys.PaymentAssetKey, value: request.asset.kind === 'Native' ? 'Native' : request.asset.contract },
          { key: keys.PaymentStuckKey, value: false },
        ],
      });
      let snapshot;
      try {
        snapshot = await withDeadline(() => temporal.workflow.executeUpdateWithStart(paymentSnapshotUpdate, { startWorkflowOperation: operation }));
      } catch (error) {
        // A closed payment cannot take an Update: read it instead (a query replays it on a worker).
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        const state = await withDeadline(() => temporal.workflow.getHandle(paymentId).query(paymentStateQuery));
        snapshot = { state, created: false };
      }
      if (requestHash(snapshot.state.request) !== requestHash(request)) return { kind: 'conflict', paymentId };
      return { kind: snapshot.created ? 'started' : 'existing', state: snapshot.state };
    },

    async get(paymentId) {
      try {
        return await withDeadline(() => payments.getState(paymentId));
      } catch (error) {
        if (error instanceof PaymentNotFoundError) return undefined;
        throw error;
      }
    },

    async list(filter) {
      const query = paymentListQuery(filter);
      const nextPageToken = filter.cursor ? openCursor(filter.cursor, query) : undefined;
      const response = await withDeadline(() =>
        temporal.workflowService.listWorkflowExecutions({ namespace: options.namespace, query, pageSize: filter.limit, nextPageToken }),
      );
      const items = (response.executions ?? []).map((execution): PaymentListItem => {
        const fields = execution.searchAttributes?.indexedFields as Record<string, Payload> | undefined;
        const started = execution.startTime?.seconds ? new Date(Number(execution.startTime.seconds) * 1000 + Math.floor((execution.startTime.nanos ?? 0) / 1e6)) : new Date(0);
        const closed = execution.closeTime?.seconds ? new Date(Number(execution.closeTime.seconds) * 1000 + Math.floor((execution.closeTime.nanos ?? 0) / 1e6)) : undefined;
        const status = text(attribute(fields, keys.PaymentStatusKey.name));
        const stuck = attribute(fields, keys.PaymentStuckKey.name);
        const item: PaymentListItem = {
          paymentId: execution.execution?.workflowId ?? '',
          running: !closed,
          createdAt: started.toISOString(),
        };
        if (status) item.status = status as PaymentListItem['status'];
        const walletId = text(attribute(fields, keys.PaymentWalletKey.name));
        const network = text(attribute(fields, keys.PaymentNetworkKey.name));
        const asset = text(attribute(fields, keys.PaymentAssetKey.name));
        if (walletId) item.walletId = walletId;
        if (network) item.network = network;
        if (asset) item.asset = asset;
        if (typeof stuck === 'boolean') item.stuck = stuck;
        if (closed) item.closedAt = closed.toISOString();
        return item;
      });
      const token = response.nextPageToken;
      return { items, ...(token && token.length > 0 ? { nextCursor: sealCursor(token, query) } : {}) };
    },

    async act(paymentId, action, request) {
      try {
        const result = await withDeadline(() =>
          action === 'cancel' ? payments.cancel(paymentId, request) : action === 'retry' ? payments.retry(paymentId, request) : payments.speedUp(paymentId, request),
        );
        return { kind: 'done', result };
      } catch (error) {
        if (error instanceof PaymentNotFoundError) return { kind: 'not-found' };
        if (error instanceof OperatorActionRefusedError) return { kind: 'refused', reason: error.message.slice(paymentId.length + 2) };
        throw error;
      }
    },

    async readiness() {
      try {
        const missing = await withDeadline(() => missingSearchAttributes(temporal.connection.operatorService, options.namespace));
        return missing.map((name) => `search attribute ${name} is not registered in namespace ${options.namespace}`);
      } catch {
        return ['Temporal is not reachable'];
      }
    },
  };
}
