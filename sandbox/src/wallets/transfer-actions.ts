import type { ApprovalService } from '../approvals/approval-service';
import type { ChainClock } from '../chain/chain-clock';
import { badRequest } from '../http/errors';
import { newId, randomHex } from '../state/ids';
import { getNetwork } from '../chain/networks';
import type { Wallet } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { rejectTransfer } from '../chain/transfer-outcomes';
import type { TransactionRequest, TransferRecord } from './transfer-schema';
import type { Requester, TransferService } from './transfer-service';
import { debitNativeFee, gasPrice } from './wallet-assets';
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

const REPLACEMENT_GAS = 21_000n;

/** Cancel / abort / speed-up of reference §2.1, on EVM networks. */
export function createTransferActions(deps: TransferActionDeps) {
  const { store, time } = deps;
  const iso = () => new Date(time.now()).toISOString();

  const broadcastedEvm = (wallet: Wallet, transferId: string, action: string): TransferRecord => {
    const record = deps.transfers.record(wallet.id, transferId);
    if (getNetwork(wallet.network).family !== 'evm') throw badRequest(`${action} is only supported on EVM networks`);
    if (record.transfer.status !== 'Broadcasted') {
      throw badRequest(`Only a Broadcasted transfer can be ${action}; this one is ${record.transfer.status}`, { transferId });
    }
    if (record.transfer.replacementId) {
      const { replacementId } = record.transfer;
      throw badRequest('A cancel replacement is already pending for this transfer', { transferId, replacementId });
    }
    return record;
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

    /** `POST …/cancel`: broadcasts a 0-value transaction to self with the same nonce; the original fails once it confirms. */
    cancel(wallet: Wallet, transferId: string, requester: Requester): TransactionRequest {
      const record = broadcastedEvm(wallet, transferId, 'cancelled');
      const fee = REPLACEMENT_GAS * gasPrice(record.transfer.requestBody) * 2n; // replacement must outbid
      if (!debitNativeFee(wallet, fee)) throw badRequest('Insufficient balance to pay the replacement fee', { transferId });
      const transaction: TransactionRequest = {
        id: newId('tx'),
        walletId: wallet.id,
        network: wallet.network,
        requester: { userId: requester.userId, tokenId: requester.tokenId },
        requestBody: { kind: 'Transaction', transaction: { to: wallet.address, value: '0', nonce: record.nonce ?? 0 } },
        status: 'Broadcasted',
        txHash: randomHex(32),
        fee: fee.toString(),
        dateRequested: iso(),
        datePolicyResolved: iso(),
        dateBroadcasted: iso(),
      };
      store.state.transactions.push(transaction);
      record.transfer.replacementId = transaction.id;
      deps.chain.replace(record);
      deps.dispatcher.emit('wallet.transaction.broadcasted', { transactionRequest: transaction });
      store.changed();
      return transaction;
    },

    /** `POST …/speed-up`: a new txHash with a 50 % higher fee; a stalled transfer confirms within a block. */
    speedUp(wallet: Wallet, transferId: string) {
      const record = broadcastedEvm(wallet, transferId, 'sped up');
      const oldFee = BigInt(record.transfer.fee ?? '0');
      const newFee = (oldFee * 3n + 1n) / 2n;
      if (!debitNativeFee(wallet, newFee - oldFee)) throw badRequest('Insufficient balance to pay the higher fee', { transferId });
      Object.assign(record.transfer, { txHash: randomHex(32), fee: newFee.toString() });
      deps.chain.speedUp(record);
      store.changed();
      return record.transfer;
    },
  };
}

/** Cancel / abort / speed-up. */
export type TransferActions = ReturnType<typeof createTransferActions>;
