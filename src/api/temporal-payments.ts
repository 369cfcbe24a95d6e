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
      let nextPageToken: Uint8Array | undefined;
      if (filter.cursor) nextPageToken = Buffer.from(filter.cursor, 'base64url');
      const response = await withDeadline(() =>
        temporal.workflowService
          .listWorkflowExecutions({ namespace: options.namespace, query: paymentListQuery(filter), pageSize: filter.limit, nextPageToken })
          .catch((error: { code?: number }) => {
            // gRPC INVALID_ARGUMENT with a cursor: the token is not one Temporal issued for this query.
            if (filter.cursor && error.code === 3) throw new InvalidCursorError('cursor is not valid for this listing');
            throw error;
          }),
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
      return { items, ...(token && token.length > 0 ? { nextCursor: Buffer.from(token).toString('base64url') } : {}) };
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
