import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import type { TransactionRequest, TransferRecord, TransferRequest } from '../wallets/transfer-schema';
import { refundTransfer } from '../wallets/wallet-assets';
import { movedToken, recordMovement } from '../wallets/wallet-history';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { getNetwork } from './networks';

/** The reason a chain fault gives when the admin call names none. */
export const DEFAULT_FAILURE = {
  'fail-before-broadcast': 'Transaction failed before broadcast',
  'fail-on-chain': 'Transaction reverted on chain',
  // Solana: a transaction whose recent blockhash expired (about 150 blocks) can never be included; nothing landed.
  'expire-blockhash': 'Transaction expired: blockhash not found before it landed',
};

/** What settling a transfer touches: the state, the webhooks and the clock. */
export interface SettlementDeps {
  store: StateStore;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  time: TimeControl;
}

/**
 * How a Broadcasted transfer ends when its confirmations are due: confirmed, reverted, or replaced. A pending
 * replacement (https://docs.dfns.co/api-reference/transfer, "Speed up and cancel") always wins over the original.
 */
export function createSettlement(deps: SettlementDeps) {
  const { dispatcher, time } = deps;
  const { state } = deps.store;
  const iso = () => new Date(time.now()).toISOString();
  const emits = (transfer: TransferRequest) => getNetwork(transfer.network).emitsConfirmed;
  const walletOf = (transfer: TransferRequest) => state.wallets.find((wallet) => wallet.id === transfer.walletId);
  /** Who paid the fee: a fee sponsor's wallet, or the transfer's own. */
  const payerOf = (record: TransferRecord) =>
    state.wallets.find((wallet) => wallet.id === (record.feePayerId ?? record.transfer.walletId));
  const emit = (kind: 'wallet.transfer.failed' | 'wallet.transfer.confirmed', transfer: TransferRequest) =>
    dispatcher.emit(kind, { transferRequest: transfer });

  /**
   * The wallet's history gains the mined transaction: the value it moved (none when it reverted, which still burns
   * its fee) and the fee, unless a fee sponsor paid it. Recorded at the moment the transfer settles.
   */
  const mined = (record: TransferRecord, moved: boolean) => {
    const { transfer } = record;
    const wallet = walletOf(transfer);
    if (!wallet) return;
    const body = transfer.requestBody;
    recordMovement(state, {
      wallet,
      direction: 'Out',
      ...(moved ? { token: movedToken(body), value: BigInt(body.amount) } : { value: 0n }),
      counterparty: body.to,
      ...(transfer.txHash ? { txHash: transfer.txHash } : {}),
      ...(record.feePayerId ? {} : { fee: BigInt(transfer.fee ?? '0') }),
      at: time.now(),
    });
  };

  /** Ends a transfer `Failed` with a reason and announces it. */
  const fail = (record: TransferRecord, reason: string) => {
    Object.assign(record.transfer, { status: 'Failed', reason });
    record.nextStepAt = null;
    emit('wallet.transfer.failed', record.transfer);
  };

  // A speed-up's replacement is the same transfer at a higher fee: once mined it is the transfer's transaction, so the
  // transfer takes its hash and fee. It reverts like the original would (same data); only its fee is ever spent.
  const settleSpeedUp = (record: TransferRecord, replacement: TransactionRequest) => {
    const { transfer } = record;
    Object.assign(transfer, { txHash: replacement.txHash, fee: replacement.fee });
    if (record.chainFault?.mode === 'fail-on-chain') {
      const wallet = walletOf(transfer);
      if (wallet) refundTransfer(wallet, transfer.requestBody, 0n, false);
      const reason = record.chainFault.reason ?? DEFAULT_FAILURE['fail-on-chain'];
      Object.assign(replacement, { status: 'Failed', reason });
      mined(record, false);
      fail(record, reason);
      return;
    }
    Object.assign(replacement, { status: 'Confirmed', dateConfirmed: iso() });
    Object.assign(transfer, { status: 'Confirmed', dateConfirmed: iso() });
    mined(record, true);
    record.nextStepAt = null;
    if (!emits(transfer)) return;
    dispatcher.emit('wallet.transaction.confirmed', { transactionRequest: replacement });
    emit('wallet.transfer.confirmed', transfer);
  };

  // A cancel's 0-value replacement took the nonce: the original never executes, so nothing it took is spent.
  const settleCancel = (record: TransferRecord, replacement: TransactionRequest | undefined) => {
    const { transfer } = record;
    const wallet = walletOf(transfer);
    if (wallet) refundTransfer(wallet, transfer.requestBody, BigInt(transfer.fee ?? '0'), true, payerOf(record));
    fail(record, 'Cancelled by replacement');
    if (!replacement) return;
    Object.assign(replacement, { status: 'Confirmed', dateConfirmed: iso() });
    // The 0-value replacement to the wallet itself is what was mined; its fee is the wallet's.
    if (wallet) {
      const fee = { fee: BigInt(replacement.fee ?? '0') };
      const tx = replacement.txHash ? { txHash: replacement.txHash } : {};
      recordMovement(state, {
        wallet,
        direction: 'Out',
        value: 0n,
        counterparty: wallet.address,
        ...tx,
        ...fee,
        at: time.now(),
      });
    }
    if (emits(transfer)) dispatcher.emit('wallet.transaction.confirmed', { transactionRequest: replacement });
  };

  const settle = (record: TransferRecord) => {
    const { transfer } = record;
    const wallet = walletOf(transfer);
    if (transfer.replacementId) {
      const replacement = state.transactions.find((tx) => tx.id === transfer.replacementId);
      if (replacement?.requestBody.kind === 'SpeedUpTransaction') return settleSpeedUp(record, replacement);
      return settleCancel(record, replacement);
    }
    if (record.chainFault?.mode === 'fail-on-chain') {
      // A revert burns the gas but moves no value.
      if (wallet) refundTransfer(wallet, transfer.requestBody, BigInt(transfer.fee ?? '0'), false);
      mined(record, false);
      fail(record, record.chainFault.reason ?? DEFAULT_FAILURE['fail-on-chain']);
    } else {
      Object.assign(transfer, { status: 'Confirmed', dateConfirmed: iso() });
      mined(record, true);
      record.nextStepAt = null;
      if (emits(transfer)) emit('wallet.transfer.confirmed', transfer);
    }
  };

  return { fail, settle };
}
