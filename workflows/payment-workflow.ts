import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DfnsActivities } from '../activities/dfns-activities';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import {
  DEFAULT_PAYMENT_TIMINGS,
  paymentStateQuery,
  transferUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../src/contracts/payment-messages';
import { transferExternalId } from '../src/contracts/payment-id';
import { applyTransferUpdate, initialPaymentState, moveTo, type PaymentState } from '../src/contracts/payment-state';
import { isTerminal } from '../src/contracts/payment-status';
import { transferUpdateSchema, type TransferUpdate } from '../src/contracts/transfer-update';
import { DfnsTransferIdKey, PaymentStatusKey } from '../src/contracts/search-attributes';
import { paymentDetails } from './payment-details';

const { submitTransfer } = proxyActivities<DfnsActivities>({
  startToCloseTimeout: '30s',
  // Unlimited attempts: the externalId makes every retry land on the same transfer, and giving up would leave a
  // payment whose transfer may exist in Dfns without the workflow knowing it.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES },
});

const { getTransfer } = proxyActivities<DfnsActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES },
});

const now = (): string => new Date().toISOString();

/** One payment: submit the transfer to Dfns, then follow it to a final state through webhooks, polling when silent. */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentOutcome> {
  const timings = { ...DEFAULT_PAYMENT_TIMINGS, ...input.timings };
  let state: PaymentState = initialPaymentState(input.paymentId, input.request, transferExternalId(input.paymentId, 1), now());
  let published = '';

  const publish = (): void => {
    const key = `${state.status}|${state.transferId ?? ''}`;
    if (key === published) return;
    published = key;
    upsertSearchAttributes([
      { key: PaymentStatusKey, value: state.status },
      ...(state.transferId ? [{ key: DfnsTransferIdKey, value: state.transferId }] : []),
    ]);
    setCurrentDetails(paymentDetails(state));
  };
  const apply = (update: TransferUpdate): void => {
    state = applyTransferUpdate(state, update, now());
    publish();
  };

  setHandler(transferUpdateSignal, (raw) => {
    const parsed = transferUpdateSchema.safeParse(raw);
    if (parsed.success) return apply(parsed.data);
    // A malformed signal is recorded, never thrown: throwing would fail the workflow task over and over.
    state = { ...state, timeline: [...state.timeline, { at: now(), source: 'webhook', event: 'malformed update', applied: false, note: parsed.error.message }] };
  });
  setHandler(paymentStateQuery, () => state);
  publish();

  try {
    apply(await submitTransfer({ request: input.request, externalId: state.externalId }));
  } catch (error) {
    const failure = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
    if (!failure) throw error;
    log.warn('transfer submission refused', { paymentId: input.paymentId, type: failure.type, message: failure.message });
    state = moveTo(state, 'Failed', { source: 'submit', event: 'transferAsset refused', note: failure.message }, now());
    state = { ...state, reason: failure.message, failureType: failure.type ?? FailureType.DfnsUnavailable };
    publish();
  }

  await followUntilFinal();
  await condition(allHandlersFinished);
  return outcome(state);

  /** Waits for webhooks; after a silence it polls Dfns, backing off while nothing changes. */
  async function followUntilFinal(): Promise<void> {
    let silence = timings.firstPollAfterMs;
    while (!isTerminal(state.status)) {
      const seen = state.timeline.length;
      const wait = state.status === 'AwaitingApproval' ? timings.approvalPollIntervalMs : silence;
      if (await condition(() => state.timeline.length !== seen || isTerminal(state.status), wait)) {
        silence = timings.firstPollAfterMs;
        continue;
      }
      if (!state.transferId) continue;
      apply(await getTransfer({ walletId: input.request.walletId, transferId: state.transferId }));
      silence = Math.min(silence * 2, timings.maxPollIntervalMs);
    }
    log.info('payment final', { paymentId: input.paymentId, status: state.status, workflowId: workflowInfo().workflowId });
  }
}

function outcome(state: PaymentState): PaymentOutcome {
  const result: PaymentOutcome = { paymentId: state.paymentId, status: state.status, attempt: state.attempt, externalId: state.externalId };
  if (state.transferId) result.transferId = state.transferId;
  if (state.txHash) result.txHash = state.txHash;
  if (state.reason) result.reason = state.reason;
  if (state.failureType) result.failureType = state.failureType;
  return result;
}
