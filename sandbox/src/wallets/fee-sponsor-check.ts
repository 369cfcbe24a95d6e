import { networkFee } from '../chain/fee-model';
import type { NetworkInfo } from '../chain/networks';
import { badRequest } from '../http/errors';
import type { SandboxState, Wallet } from '../state/sandbox-state';
import type { TransferBody } from './transfer-body';
import { nativeBalance } from './wallet-assets';

/**
 * Refuses a transfer whose `feeSponsorId` cannot pay, before anything is created: sponsors exist only on the networks
 * Dfns lists (EVM and Solana here; none on Tron and Bitcoin), and must be Active, on the wallet's network and funded
 * for the fee. Dfns
 * does not document this error's body; the sandbox names the sponsor in `details.feeSponsorId` with a `reason`.
 */
export function checkFeeSponsor(state: SandboxState, wallet: Wallet, network: NetworkInfo, body: TransferBody): void {
  const feeSponsorId = body.feeSponsorId as string;
  const refuse = (reason: string) => {
    throw badRequest(`Invalid transfer request: feeSponsorId: ${reason}`, { feeSponsorId, reason });
  };
  if (!network.feeSponsors) refuse(`fee sponsors are not supported on ${network.name}`);
  const sponsor = state.feeSponsors.find((candidate) => candidate.id === feeSponsorId);
  if (!sponsor) return refuse('no such fee sponsor');
  if (sponsor.status !== 'Active') refuse(`the fee sponsor is ${sponsor.status}`);
  if (sponsor.network !== wallet.network) refuse(`the fee sponsor pays on ${sponsor.network}, not ${wallet.network}`);
  const payer = state.wallets.find((candidate) => candidate.id === sponsor.walletId);
  if (!payer || nativeBalance(payer) < networkFee(network, body)) refuse('the fee sponsor cannot pay the network fee');
}
