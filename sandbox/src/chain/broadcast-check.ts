import type { SandboxState, Wallet } from '../state/sandbox-state';
import type { TransferRequest } from '../wallets/transfer-schema';
import { canAfford, nativeBalance } from '../wallets/wallet-assets';
import { networkFee, tronBandwidthFee } from './fee-model';
import { getNetwork } from './networks';

/**
 * What happens when a transfer reaches the chain: it is broadcast (the payer pays `fee`); it fails before the chain
 * with nothing sent; or it is broadcast and reverts there, burning `fee`.
 */
export type BroadcastCheck =
  | { outcome: 'broadcast'; fee: bigint; payer: Wallet }
  | { outcome: 'fail'; reason: string }
  | { outcome: 'revert'; fee: bigint; payer: Wallet; reason: string };

const walletById = (state: SandboxState, id: string) => state.wallets.find((wallet) => wallet.id === id);

/** The wallet that pays a transfer's fee: its fee sponsor's wallet when it names one that can pay, else itself. */
function feePayer(state: SandboxState, wallet: Wallet, transfer: TransferRequest, fee: bigint): Wallet | string {
  const sponsorId = transfer.requestBody.feeSponsorId;
  if (sponsorId === undefined) return wallet;
  const sponsor = state.feeSponsors.find((candidate) => candidate.id === sponsorId);
  const payer = sponsor && walletById(state, sponsor.walletId);
  if (!sponsor || sponsor.status !== 'Active' || !payer || nativeBalance(payer) < fee) {
    return `Fee sponsor ${sponsorId} cannot pay the network fee`;
  }
  return payer;
}

/**
 * Decides a transfer's fate at broadcast time, from the balances then (Dfns accepts a transfer first and learns at
 * signing and broadcast whether it can go). Chain-specific failures:
 * - Tron: without TRX to burn for bandwidth the node refuses the transaction (nothing on chain); with bandwidth but
 *   not enough TRX to burn for a TRC-20 call's energy, it is mined and fails OUT_OF_ENERGY, burning what it had
 *   (https://developers.tron.network/docs/resource-model).
 * - Solana: an SPL transfer to an address without a token account fails unless `createDestinationAccount` is true.
 */
export function checkBroadcast(state: SandboxState, wallet: Wallet, transfer: TransferRequest): BroadcastCheck {
  const network = getNetwork(transfer.network);
  const body = transfer.requestBody;
  const fee = networkFee(network, body);
  const payer = feePayer(state, wallet, transfer, fee);
  if (typeof payer === 'string') return { outcome: 'fail', reason: payer };
  if (network.family === 'tron' && payer === wallet) {
    const bandwidth = tronBandwidthFee(body);
    if (nativeBalance(wallet) < bandwidth) {
      return { outcome: 'fail', reason: 'Account resource insufficient: no bandwidth, and no TRX to burn for it' };
    }
    const tokensCovered = canAfford(wallet, body, 0n);
    if (body.kind === 'Trc20' && tokensCovered && nativeBalance(wallet) < fee) {
      const reason = 'OUT_OF_ENERGY: not enough energy, nor TRX to burn for it';
      return { outcome: 'revert', fee: nativeBalance(wallet), payer, reason };
    }
  }
  const splToken = body.kind === 'Spl' || body.kind === 'Spl2022';
  if (network.family === 'solana' && splToken && body.createDestinationAccount !== true) {
    const recipient = state.wallets.find((other) => other.network === network.name && other.address === body.to);
    if (recipient?.balances[body.mint.toLowerCase()] === undefined) {
      const reason = 'The destination has no token account for this mint (createDestinationAccount is not true)';
      return { outcome: 'fail', reason };
    }
  }
  if (!canAfford(wallet, body, fee, payer)) return { outcome: 'fail', reason: 'Insufficient balance' };
  return { outcome: 'broadcast', fee, payer };
}
