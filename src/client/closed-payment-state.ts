import type { WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { PaymentOutcome, PaymentWorkflowInput } from '../contracts/payment-messages';
import { transferExternalId } from '../contracts/payment-id';
import { initialPaymentState, record, type PaymentState } from '../contracts/payment-state';

/**
 * A completed payment's state without replaying it: the state its last run started from (a continued run carries
 * it; a first run, its request) with the outcome the workflow returned laid over it. Reading a closed payment by
 * query replays its whole history on a worker; when that replay fails (a history the current code cannot replay)
 * the payment must still read as what it ended as, never as an error for ever. The timeline says the view is partial.
 */
export async function closedPaymentState(handle: WorkflowHandle, why: string): Promise<PaymentState | undefined> {
  const described = await handle.describe();
  if (described.status.name !== 'COMPLETED') return undefined;
  const outcome = (await handle.result()) as PaymentOutcome;
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!payload?.data) return undefined;
  // The history is as Temporal stores it: through the client's codecs (decryption) and converter, as the SDK reads.
  const { payloadCodecs, payloadConverter } = handle.client.options.loadedDataConverter;
  let decoded: Payload = payload;
  for (const codec of [...payloadCodecs].reverse()) decoded = (await codec.decode([decoded]))[0] ?? decoded;
  const input = payloadConverter.fromPayload<PaymentWorkflowInput>(decoded);
  const startedAt = described.startTime.toISOString();
  const base =
    input.continued?.state ??
    initialPaymentState(
      input.paymentId,
      input.request,
      transferExternalId(input.paymentId, 1),
      startedAt,
      input.clientId,
    );
  const closedAt = (described.closeTime ?? described.startTime).toISOString();
  const { paymentId: _id, needsAttention, ...ended } = outcome;
  const state: PaymentState = {
    ...base,
    ...ended,
    needsAttention: needsAttention ?? false,
    statusSince: base.status === outcome.status ? base.statusSince : closedAt,
    updatedAt: closedAt,
  };
  const note = `the payment's history could not be replayed (${why}); this is its outcome, not its full timeline`;
  return record(state, { source: 'workflow', event: 'read from the outcome', note }, closedAt, true);
}
