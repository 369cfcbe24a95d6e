import { takeChainFault } from '../faults/fault-queues';
import { randomHex } from '../state/ids';
import { getNetwork } from './networks';
import type { Scheduler } from './scheduler';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import type { TransferRecord, TransferRequest } from '../wallets/transfer-schema';
import { debitTransfer } from '../wallets/wallet-assets';
import { checkBroadcast } from './broadcast-check';
import { createSettlement, DEFAULT_FAILURE } from './settlement';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { WebhookEventKind } from '../webhooks/webhook-kinds';

/** Simulated-chain settings; every delay is divided by the current time scale. */
export interface ChainClockDeps {
  store: StateStore;
  scheduler: Scheduler;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  time: TimeControl;
  /** Overrides every network's own block time (the v1 option); undefined = per network. */
  blockTimeMs?: number;
  confirmations: number;
}

/** Drives transfers Executing → Broadcasted → Confirmed (or Failed) after policies let them go. */
export interface ChainClock {
  /** Policies passed at creation: Executing after a short policy delay. */
  start(record: TransferRecord): void;
  /** Approved by people: Executing now, broadcast one block later. */
  execute(record: TransferRecord): void;
  /** Drops the scheduled step (abort). */
  halt(record: TransferRecord): void;
  /**
   * A speed-up's replacement was broadcast: it is mined within one block, even when the original stalled, unless a
   * `stall` fault is armed for it.
   */
  speedUp(record: TransferRecord): void;
  /** A cancel's replacement was broadcast: once it confirms, the original fails. */
  replace(record: TransferRecord): void;
  /** A stalled broadcast (or its latest replacement) is mined after all, within one block (admin control). */
  mine(record: TransferRecord): void;
  /** Re-arms every persisted due step (after a restart or a time-scale change). */
  resume(): void;
}

/** Policy evaluation happens "shortly" after creation: a fraction of a block. */
const POLICY_DELAY_MS = 200;

/** Creates the clock; it keeps no state of its own beyond timers, so restarts lose nothing. */
export function createChainClock(deps: ChainClockDeps): ChainClock {
  const { store, scheduler, dispatcher, time } = deps;
  const { state } = store;
  const iso = () => new Date(time.now()).toISOString();
  const blockMs = (transfer: TransferRequest) => deps.blockTimeMs ?? getNetwork(transfer.network).blockTimeMs;
  const depth = (transfer: TransferRequest) => getNetwork(transfer.network).confirmations ?? deps.confirmations;
  const walletOf = (transfer: TransferRequest) => state.wallets.find((wallet) => wallet.id === transfer.walletId);

  const arm = (record: TransferRecord) => {
    const key = `transfer:${record.transfer.id}`;
    if (record.nextStepAt === null) return scheduler.cancel(key);
    scheduler.at(key, record.nextStepAt, () => step(record));
  };
  const reschedule = (record: TransferRecord, dueAt: number | null) => {
    record.nextStepAt = dueAt;
    store.changed();
    arm(record);
  };

  // Next steps are timed from the previous due time (chain time), so after downtime the chain
  // catches up at once instead of restarting every delay from the moment of the restart.
  const after = (record: TransferRecord, ms: number) => (record.nextStepAt ?? time.now()) + time.scaled(ms);
  const emit = (kind: WebhookEventKind, transfer: TransferRequest) =>
    dispatcher.emit(kind, { transferRequest: transfer });

  const { fail, settle } = createSettlement({ store, dispatcher, time });

  const broadcast = (record: TransferRecord) => {
    const { transfer } = record;
    const wallet = walletOf(transfer);
    // Balances are checked when the transfer reaches the chain, not at creation: it is accepted,
    // then fails without a txHash because nothing was ever sent.
    if (!wallet) return fail(record, 'Insufficient balance');
    const check = checkBroadcast(state, wallet, transfer);
    if (check.outcome === 'fail') return fail(record, check.reason);
    const fault = takeChainFault(state.faults);
    if (fault?.mode === 'fail-before-broadcast' || fault?.mode === 'expire-blockhash') {
      return fail(record, fault.reason ?? DEFAULT_FAILURE[fault.mode]);
    }
    const { fee, payer } = check;
    debitTransfer(wallet, transfer.requestBody, fee, payer);
    if (payer !== wallet) record.feePayerId = payer.id;
    record.nonce = wallet.nonce;
    wallet.nonce += 1;
    Object.assign(transfer, {
      status: 'Broadcasted',
      txHash: randomHex(32),
      fee: fee.toString(),
      dateBroadcasted: iso(),
    });
    if (check.outcome === 'revert') record.chainFault = { mode: 'fail-on-chain', reason: check.reason };
    else if (fault?.mode === 'stall') record.chainFault = { mode: 'stall' };
    else if (fault) record.chainFault = { ...fault, mode: 'fail-on-chain' };
    record.nextStepAt = record.chainFault?.mode === 'stall' ? null : after(record, blockMs(transfer) * depth(transfer));
    emit('wallet.transfer.broadcasted', transfer);
  };

  const step = (record: TransferRecord) => {
    const { transfer } = record;
    if (transfer.status === 'Pending') {
      Object.assign(transfer, { status: 'Executing', datePolicyResolved: transfer.datePolicyResolved ?? iso() });
      record.nextStepAt = after(record, blockMs(transfer));
    } else if (transfer.status === 'Executing') {
      broadcast(record);
    } else if (transfer.status === 'Broadcasted') {
      settle(record);
    } else {
      record.nextStepAt = null;
    }
    store.changed();
    arm(record);
  };

  // A replacement reaches the chain too: an armed `stall` keeps it unmined, like the transaction it replaces.
  const replacementStalls = (record: TransferRecord) => {
    if (state.faults.chain[0]?.mode !== 'stall') return false;
    takeChainFault(state.faults);
    record.chainFault = { mode: 'stall' };
    reschedule(record, null);
    return true;
  };

  return {
    start: (record) => reschedule(record, time.now() + time.scaled(POLICY_DELAY_MS)),
    execute(record) {
      Object.assign(record.transfer, { status: 'Executing', datePolicyResolved: iso() });
      reschedule(record, time.now() + time.scaled(blockMs(record.transfer)));
    },
    halt: (record) => reschedule(record, null),
    speedUp(record) {
      if (replacementStalls(record)) return;
      if (record.chainFault?.mode === 'stall') delete record.chainFault;
      const soon = time.now() + time.scaled(blockMs(record.transfer));
      reschedule(record, record.nextStepAt === null ? soon : Math.min(record.nextStepAt, soon));
    },
    replace(record) {
      if (replacementStalls(record)) return;
      delete record.chainFault;
      reschedule(record, time.now() + time.scaled(blockMs(record.transfer) * depth(record.transfer)));
    },
    mine(record) {
      if (record.transfer.status !== 'Broadcasted') return;
      if (record.chainFault?.mode === 'stall') delete record.chainFault;
      reschedule(record, time.now() + time.scaled(blockMs(record.transfer)));
    },
    resume() {
      for (const record of state.transfers) arm(record);
    },
  };
}
