import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { OperatorActionRefusedError, PaymentNotFoundError } from '../client/payment-errors';
import { PaymentClient, paymentWorkflowInput } from '../client/payment-client';
import { requestHash } from '../client/request-hash';
import {
  cancelUpdate,
  paymentSnapshotUpdate,
  retryUpdate,
  speedUpUpdate,
  type PaymentTimings,
} from '../contracts/payment-messages';
import { paymentIdFor } from '../contracts/payment-id';
import { assetIdentifier, paymentRequestSchema, type PaymentBody } from '../contracts/payment-request';
import { PAYMENT_WORKFLOW_TYPE } from '../contracts/workflow-types';
import { paymentSummary } from '../contracts/payment-summary';
import * as keys from '../contracts/search-attributes';
import { missingSearchAttributes } from '../temporal/search-attribute-registry';
import { paymentListQuery } from './payment-list-query';
import type { PaymentsBackend } from './payments-backend';
import { cursorSeal, paymentPage } from './visibility-page';

/** How long one API call may wait on Temporal before the API answers 503 (e.g. no worker is polling). */
const TEMPORAL_DEADLINE_MS = 10_000;

/**
 * The API's backend on Temporal. Starting a payment is one Update-with-Start: the workflow id comes from the client
 * and the idempotency key, so Temporal itself refuses a second payment for a key, and the read-only `snapshot`
 * Update returns the payment's state (and whether this call created it) in the same round trip.
 */
export function createTemporalPayments(
  temporal: Client,
  options: {
    taskQueue: string;
    namespace: string;
    timings?: Partial<PaymentTimings>;
    /** The HMAC key list cursors are sealed with (API_CURSOR_SECRET, or one random key per process). */
    cursorSecret: string | Uint8Array;
  },
): PaymentsBackend {
  const payments = new PaymentClient(temporal, { taskQueue: options.taskQueue });
  const cursors = cursorSeal(options.cursorSecret);
  const withDeadline = <T>(call: () => Promise<T>) => temporal.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, call);

  return {
    async start(clientId, idempotencyKey, body: PaymentBody) {
      const request = paymentRequestSchema.parse({ ...body, idempotencyKey });
      const paymentId = paymentIdFor(idempotencyKey, clientId);
      const input = paymentWorkflowInput(paymentId, request, { clientId, timings: options.timings });
      const operation = new WithStartWorkflowOperation(PAYMENT_WORKFLOW_TYPE, {
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
          ...(request.walletId ? [{ key: keys.PaymentWalletKey, value: request.walletId }] : []),
          { key: keys.PaymentNetworkKey, value: request.network },
          { key: keys.PaymentAssetKey, value: assetIdentifier(request.asset) },
          { key: keys.PaymentStuckKey, value: false },
        ],
      });
      let snapshot;
      try {
        snapshot = await withDeadline(() =>
          temporal.workflow.executeUpdateWithStart(paymentSnapshotUpdate, { startWorkflowOperation: operation }),
        );
      } catch (error) {
        // A closed payment cannot take an Update: read it instead (a query replays it on a worker).
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        const state = await withDeadline(() => payments.getState(paymentId));
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

    async waitForChange(paymentId, seen, waitMs) {
      try {
        // Its own deadline (waitMs), not the API's usual one: waiting is the point.
        const state = await payments.waitForChange(paymentId, seen, waitMs);
        if (state) return state;
        // The wait ran out, and so does an Update to a Temporal that cannot be reached: ask Temporal for something
        // cheap, so that "no change" is said only by a Temporal that answers (otherwise the API answers 503).
        await withDeadline(() => temporal.workflowService.getSystemInfo({}));
        return 'unchanged';
      } catch (error) {
        if (error instanceof PaymentNotFoundError) return undefined;
        throw error;
      }
    },

    async list(filter) {
      const query = paymentListQuery(filter);
      // Opened before Temporal is asked: a cursor that fails its seal costs no call.
      const nextPageToken = filter.cursor ? cursors.open(filter.cursor, query) : undefined;
      const response = await withDeadline(() =>
        temporal.workflowService.listWorkflowExecutions({
          namespace: options.namespace,
          query,
          pageSize: filter.limit,
          nextPageToken,
        }),
      );
      return paymentPage(response, query, cursors);
    },

    async act(paymentId, action, request, idempotencyKey) {
      const update = action === 'cancel' ? cancelUpdate : action === 'retry' ? retryUpdate : speedUpUpdate;
      const deadline = Date.now() + TEMPORAL_DEADLINE_MS;
      try {
        const accepted = await temporal.withDeadline(deadline, () =>
          payments.acceptOperatorAction(paymentId, update, request, {
            // The Update's id: Temporal answers a second Update with the same id with the first one.
            ...(idempotencyKey ? { updateId: `${action}:${idempotencyKey}` } : {}),
          }),
        );
        const result = await temporal
          .withDeadline(deadline, () => accepted.result())
          .catch((error: unknown) => {
            // Accepted, and still at work when the call's time ran out (a speed-up waiting its turn in the Dfns
            // budget): the payment goes on with it, and its timeline records the outcome.
            if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return undefined;
            throw error;
          });
        return result ? { kind: 'done', result } : { kind: 'accepted' };
      } catch (error) {
        if (error instanceof PaymentNotFoundError) return { kind: 'not-found' };
        if (error instanceof OperatorActionRefusedError)
          return { kind: 'refused', reason: error.message.slice(paymentId.length + 2) };
        throw error;
      }
    },

    async readiness() {
      try {
        const missing = await withDeadline(() =>
          missingSearchAttributes(temporal.connection.operatorService, options.namespace),
        );
        return missing.map((name) => `search attribute ${name} is not registered in namespace ${options.namespace}`);
      } catch {
        return ['Temporal is not reachable'];
      }
    },
  };
}
