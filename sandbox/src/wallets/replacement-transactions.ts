import { newId, randomHex } from '../state/ids';
import type { Wallet } from '../state/sandbox-state';
import type { Requester } from './transfer-service';
import type { TransactionRequest, TransferRecord } from './transfer-schema';
import { getNetwork } from '../chain/networks';
import {
  BITCOIN,
  bitcoinFeeRate,
  evmGasPrice as gasPrice,
  evmGasUnits as gasUnits,
  FAST_GAS_PRICE,
} from '../chain/fee-model';

/** A 0-value transfer of the native coin costs the base 21k gas. */
const CANCEL_GAS = 21_000n;

/**
 * The gas price a speed-up pays: 10 % above the original, and at least the network's `Fast` price. The rule is
 * from the Speed Up Transfer page of IBM's hosted copy of the Dfns API
 * (https://www.ibm.com/docs/en/daw/1.2.x?topic=transfer-speed-up); docs.dfns.co only says "rebroadcasts the
 * transfer with higher fees" (https://docs.dfns.co/api-reference/transfer).
 */
export function speedUpGasPrice(original: bigint): bigint {
  const bumped = (original * 11n + 9n) / 10n; // rounded up, so a 1-wei price still rises
  return bumped > FAST_GAS_PRICE ? bumped : FAST_GAS_PRICE;
}

/** The fee a cancel's replacement pays: twice the original gas price, so that it outbids the original. */
export function cancelFee(record: TransferRecord): bigint {
  return CANCEL_GAS * gasPrice(record.transfer.requestBody) * 2n;
}

/**
 * The fee rate a Bitcoin replace-by-fee pays: BIP-125 requires a higher absolute fee that also pays for the
 * replacement's own relay, so the rate rises by half (at least 1 sat/vB) and never below the `Fast` rate.
 */
export function speedUpFeeRate(original: bigint): bigint {
  const bumped = original + (original + 1n) / 2n;
  return bumped > BITCOIN.feeRate.Fast ? bumped : BITCOIN.feeRate.Fast;
}

/**
 * The fee a speed-up's replacement pays: the original's gas at the bumped price, or its vbytes at the bumped rate.
 * Speeding up again while an earlier speed-up is still unmined bumps from that one's price, so each outbids the last.
 */
export function speedUpFee(record: TransferRecord, pending?: TransactionRequest): bigint {
  const body = record.transfer.requestBody;
  if (getNetwork(record.transfer.network).family === 'bitcoin') {
    const rate = pending?.fee ? BigInt(pending.fee) / BITCOIN.vbytes : bitcoinFeeRate(body);
    return BITCOIN.vbytes * speedUpFeeRate(rate);
  }
  return gasUnits(body) * speedUpGasPrice(basePrice(record, pending));
}

/** The gas price to outbid: the pending speed-up's, else the original's. */
function basePrice(record: TransferRecord, pending?: TransactionRequest): bigint {
  return pending?.details ? BigInt(pending.details.gasPrice) : gasPrice(record.transfer.requestBody);
}

/** Where a replacement is built: the wallet, the transfer it replaces, who asked and when. */
export interface ReplacementInput {
  wallet: Wallet;
  record: TransferRecord;
  requester: Requester;
  now: string;
}

function broadcastedTransaction(input: ReplacementInput, fee: bigint, body: TransactionRequest['requestBody']) {
  const { wallet, requester, now } = input;
  const transaction: TransactionRequest = {
    id: newId('tx'),
    walletId: wallet.id,
    network: wallet.network,
    requester: { userId: requester.userId, tokenId: requester.tokenId },
    requestBody: body,
    status: 'Broadcasted',
    txHash: randomHex(32),
    fee: fee.toString(),
    dateRequested: now,
    datePolicyResolved: now,
    dateBroadcasted: now,
  };
  return transaction;
}

/** The 0-value transaction to the wallet itself, with the original's nonce, that a cancel broadcasts. */
export function cancelReplacement(input: ReplacementInput, fee: bigint): TransactionRequest {
  const nonce = input.record.nonce ?? 0;
  const body = { kind: 'Transaction' as const, transaction: { to: input.wallet.address, value: '0' as const, nonce } };
  return broadcastedTransaction(input, fee, body);
}

/**
 * The original transaction signed again at a higher fee, that a speed-up broadcasts: on EVM with the same nonce and
 * a higher gas price, on Bitcoin spending the same inputs at a higher fee rate (replace-by-fee).
 */
export function speedUpReplacement(
  input: ReplacementInput,
  fee: bigint,
  pending?: TransactionRequest,
): TransactionRequest {
  const { record } = input;
  const replaced = record.transfer.txHash ?? '';
  const body = { kind: 'SpeedUpTransaction' as const, txHash: replaced, signedTx: randomHex(110) };
  if (getNetwork(record.transfer.network).family === 'bitcoin') return broadcastedTransaction(input, fee, body);
  const price = speedUpGasPrice(basePrice(record, pending));
  const details = { nonce: record.nonce ?? 0, gasPrice: price.toString() };
  return { ...broadcastedTransaction(input, fee, body), details };
}
