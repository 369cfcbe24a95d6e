import type { TimeControl } from '../state/time-control';
import type { TransferRecord } from '../wallets/transfer-schema';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/** Marks a transfer `Rejected` (blocked, denied, expired or aborted) without announcing it yet. */
export function markRejected(deps: { time: TimeControl }, record: TransferRecord, reason: string): void {
  Object.assign(record.transfer, {
    status: 'Rejected',
    reason,
    datePolicyResolved: new Date(deps.time.now()).toISOString(),
  });
  record.nextStepAt = null;
}

/** Ends a transfer `Rejected` and emits `wallet.transfer.rejected`. */
export function rejectTransfer(
  deps: { time: TimeControl; dispatcher: Pick<WebhookDispatcher, 'emit'> },
  record: TransferRecord,
  reason: string,
): void {
  markRejected(deps, record, reason);
  deps.dispatcher.emit('wallet.transfer.rejected', { transferRequest: record.transfer });
}
