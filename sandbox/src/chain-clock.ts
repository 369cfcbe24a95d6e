import { randomHex } from './ids';
import { getNetwork } from './networks';
import type { PolicyGate } from './policy-gate';
import type { Scheduler } from './scheduler';
import type { TransferRecord, TransferRequest } from './state';
import type { StateStore } from './state-store';
import { debitTransfer, simulatedFee } from './wallet-assets';
import type { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookEventKind } from './webhook-kinds';

/** Simulated-chain settings; every delay is divided by `timeScale`. */
export interface ChainClockDeps {
  store: StateStore;
  scheduler: Scheduler;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  policyGate: PolicyGate;
  now: () => number;
  timeScale: number;
  blockTimeMs: number;
  confirmations: number;
}

/** Drives transfers Pending → Executing → Broadcasted → Confirmed (or Failed / Rejected). */
export interface ChainClock {
  /** Schedules the first step of a just-created transfer. */
  start(record: TransferRecord): void;
  /** Re-arms every persisted due step (after a restart). */
  resume(): void;
}

/** Policy evaluation happens "shortly" after creation: a fraction of a block. */
const POLICY_DELAY_MS = 200;

/** Creates the clock; it keeps no state of its own beyond timers, so restarts lose nothing. */
export function createChainClock(deps: ChainClockDeps): ChainClock {
  const { store, scheduler, dispatcher, now } = deps;
  const scaled = (ms: number) => ms / deps.timeScale;
  const iso = () => new Date(now()).toISOString();

  const arm = (record: TransferRecord) => {
    if (record.nextStepAt === null) return;
    scheduler.at(`transfer:${record.transfer.id}`, record.nextStepAt, () => step(record));
  };

  // Next steps are timed from the previous due time (chain time), so after downtime the chain
  // catches up at once instead of restarting every delay from the moment of the restart.
  const after = (record: TransferRecord, ms: number) => (record.nextStepAt ?? now()) + scaled(ms);

  const step = (record: TransferRecord) => {
    const { transfer } = record;
    const emit = (kind: WebhookEventKind) => dispatcher.emit(kind, { transferRequest: transfer });
    const update = (patch: Partial<TransferRequest>) => Object.assign(transfer, patch);
    if (transfer.status === 'Pending') {
      const decision = deps.policyGate(transfer);
      if (decision.outcome === 'Pending') {
        transfer.approvalId = decision.approvalId;
        record.nextStepAt = null;
      } else if (decision.outcome === 'Rejected') {
        update({ status: 'Rejected', reason: decision.reason, datePolicyResolved: iso() });
        record.nextStepAt = null;
        emit('wallet.transfer.rejected');
      } else {
        update({ status: 'Executing', datePolicyResolved: iso() });
        record.nextStepAt = after(record, deps.blockTimeMs);
      }
    } else if (transfer.status === 'Executing') {
      const wallet = store.state.wallets.find((candidate) => candidate.id === transfer.walletId);
      const fee = simulatedFee(transfer.requestBody);
      // Balances are checked at broadcast, not at creation, as on a real chain: the transfer is
      // accepted, then fails without a txHash because nothing was ever sent.
      if (!wallet || !debitTransfer(wallet, transfer.requestBody, fee)) {
        update({ status: 'Failed', reason: 'Insufficient balance' });
        record.nextStepAt = null;
        emit('wallet.transfer.failed');
      } else {
        update({ status: 'Broadcasted', txHash: randomHex(32), fee: fee.toString(), dateBroadcasted: iso() });
        const confirms = getNetwork(transfer.network).emitsConfirmed;
        record.nextStepAt = confirms ? after(record, deps.blockTimeMs * deps.confirmations) : null;
        emit('wallet.transfer.broadcasted');
      }
    } else if (transfer.status === 'Broadcasted') {
      update({ status: 'Confirmed', dateConfirmed: iso() });
      record.nextStepAt = null;
      emit('wallet.transfer.confirmed');
    } else {
      record.nextStepAt = null;
    }
    store.changed();
    arm(record);
  };

  return {
    start(record) {
      record.nextStepAt = now() + scaled(POLICY_DELAY_MS);
      store.changed();
      arm(record);
    },
    resume() {
      for (const record of store.state.transfers) arm(record);
    },
  };
}
