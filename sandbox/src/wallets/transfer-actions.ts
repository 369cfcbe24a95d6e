import type { ApprovalService } from '../approvals/approval-service';
import type { ChainClock } from '../chain/chain-clock';
import { badRequest } from '../http/errors';
import { getNetwork } from '../chain/networks';
import type { Wallet } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { rejectTransfer } from '../chain/transfer-outcomes';
import type { TransactionRequest, TransferRecord } from './transfer-schema';
import type { Requester, TransferService } from './transfer-service';
import { creditNativeFee, debitNativeFee, nativeBalance } from './wallet-assets';
import { cancelFee, cancelReplacement, speedUpFee, speedUpReplacement } from './replacement-transactions';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/** What cancel, abort and speed-up need. */
export interface TransferActionDeps {
  store: StateStore;
  time: TimeControl;
  transfers: Pick<TransferService, 'record'>;
  chain: Pick<ChainClock, 'halt' | 'speedUp' | 'replace'>;
  approvals: Pick<ApprovalService, 'find' | 'abort'>;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
}

/**
 * Cancel, abort and speed-up (https://docs.dfns.co/api-reference/transfer, "Speed up and cancel"): cancel on EVM
 * networks, speed-up on EVM and, by replace-by-fee, on Bitcoin; Tron and Solana transactions cannot be replaced.
 * A cancel or a speed-up broadcasts a replacement transaction with the original's nonce, answers it, and names it
 * in the transfer's `replacementId`; the chain clock then mines the replacement instead of the original. When the
 * replacement is stuck too (a `stall` fault), another may follow (a second speed-up, a cancel) and takes its place.
 */
export function createTransferActions(deps: TransferActionDeps) {
  const { store, time } = deps;
  const iso = () => new Date(time.now()).toISOString();

  const broadcasted = (wallet: Wallet, transferId: string, action: string, bitcoinToo = false): TransferRecord => {
    const record = deps.transfers.record(wallet.id, transferId);
    const { family } = getNetwork(wallet.network);
    if (family !== 'evm' && !(bitcoinToo && family === 'bitcoin')) {
      throw badRequest(`A transfer can be ${action} only on ${bitcoinToo ? 'EVM and Bitcoin' : 'EVM'} networks`);
    }
    if (record.transfer.status !== 'Broadcasted') {
      const { status } = record.transfer;
      throw badRequest(`Only a Broadcasted transfer can be ${action}; this one is ${status}`, { transferId });
    }
    // One replacement at a time while the chain is about to mine it; one that is itself stuck may be replaced.
    const stuck = record.chainFault?.mode === 'stall' && record.nextStepAt === null;
    if (record.transfer.replacementId && !stuck) {
      const { replacementId } = record.transfer;
      throw badRequest('A replacement transaction is already pending for this transfer', { transferId, replacementId });
    }
    return record;
  };

  /**
   * A stuck replacement is dropped for the new one, which reuses the nonce at a higher fee (as an EVM mempool or a
   * Bitcoin replace-by-fee does): it ends Failed, and what it was charged (a speed-up's extra fee, a cancel's fee)
   * goes back to whoever paid it.
   * Answers the dropped speed-up, whose price the next one must outbid.
   */
  const dropPending = (record: TransferRecord, wallet: Wallet): TransactionRequest | undefined => {
    const { replacementId } = record.transfer;
    const pending = store.state.transactions.find((tx) => tx.id === replacementId);
    if (pending?.status !== 'Broadcasted') return undefined;
    Object.assign(pending, { status: 'Failed', reason: 'Replaced by a higher-fee transaction' });
    deps.dispatcher.emit('wallet.transaction.failed', { transactionRequest: pending });
    if (pending.requestBody.kind !== 'SpeedUpTransaction') {
      creditNativeFee(wallet, BigInt(pending.fee ?? '0')); // a dropped cancel never spent its fee
      return undefined;
    }
    const payer = store.state.wallets.find((candidate) => candidate.id === record.feePayerId) ?? wallet;
    creditNativeFee(payer, BigInt(pending.fee ?? '0') - BigInt(record.transfer.fee ?? '0'));
    return pending;
  };

  /** Broadcasts a replacement: the transfer names it, and Dfns announces it as a transaction. */
  const broadcastReplacement = (record: TransferRecord, transaction: TransactionRequest) => {
    store.state.transactions.push(transaction);
    record.transfer.replacementId = transaction.id;
    deps.dispatcher.emit('wallet.transaction.broadcasted', { transactionRequest: transaction });
  };

  return {
    /** `PUT …/abort`: a transfer pending approval, or Executing and not yet broadcast, ends Rejected "Aborted". */
    abort(wallet: Wallet, transferId: string) {
      const record = deps.transfers.record(wallet.id, transferId);
      const { transfer } = record;
      const approval = transfer.approvalId === undefined ? undefined : deps.approvals.find(transfer.approvalId);
      if (transfer.status === 'Pending' && approval?.status === 'Pending') {
        deps.approvals.abort(approval);
      } else if (transfer.status === 'Executing') {
        deps.chain.halt(record);
        rejectTransfer(deps, record, 'Aborted');
      } else {
        const message = 'Only a transfer pending approval or executing (not yet broadcast) can be aborted';
        throw badRequest(`${message}; this one is ${transfer.status}`, { transferId });
      }
      store.changed();
      return transfer;
    },

    /** `POST …/cancel`: a 0-value transaction to self with the same nonce; the original fails once it confirms. */
    cancel(wallet: Wallet, transferId: string, requester: Requester): TransactionRequest {
      const record = broadcasted(wallet, transferId, 'cancelled');
      const fee = cancelFee(record);
      if (nativeBalance(wallet) < fee) {
        throw badRequest('Insufficient balance to pay the replacement fee', { transferId });
      }
      dropPending(record, wallet);
      debitNativeFee(wallet, fee);
      const transaction = cancelReplacement({ wallet, record, requester, now: iso() }, fee);
      broadcastReplacement(record, transaction);
      deps.chain.replace(record);
      store.changed();
      return transaction;
    },

    /**
     * `POST …/speed-up`: the same transaction with the same nonce and a higher gas price; it answers the replacement,
     * which is mined within a block (a stalled original too). The wallet pays the difference now.
     */
    speedUp(wallet: Wallet, transferId: string, requester: Requester): TransactionRequest {
      const record = broadcasted(wallet, transferId, 'sped up', true);
      const oldFee = BigInt(record.transfer.fee ?? '0');
      const pending = store.state.transactions.find((tx) => tx.id === record.transfer.replacementId);
      const outbid = pending?.status === 'Broadcasted' && pending.requestBody.kind === 'SpeedUpTransaction';
      const newFee = speedUpFee(record, outbid ? pending : undefined);
      // A sponsored transfer's sponsor pays the difference, as it paid the fee.
      const payer = store.state.wallets.find((candidate) => candidate.id === record.feePayerId) ?? wallet;
      const paid = outbid ? BigInt(pending.fee ?? '0') : oldFee;
      if (nativeBalance(payer) < newFee - paid) {
        throw badRequest('Insufficient balance to pay the higher fee', { transferId });
      }
      const dropped = dropPending(record, wallet);
      debitNativeFee(payer, newFee - oldFee);
      const transaction = speedUpReplacement({ wallet, record, requester, now: iso() }, newFee, dropped);
      broadcastReplacement(record, transaction);
      deps.chain.speedUp(record);
      store.changed();
      return transaction;
    },
  };
}

/** Cancel / abort / speed-up. */
export type TransferActions = ReturnType<typeof createTransferActions>;
