import { nextAttemptState, record, type PaymentState } from './payment-state';

/**
 * Leaves a pool wallet that lacked the funds, whether Dfns refused the transfer or failed it before broadcast: the
 * attempt is summarised, the wallet is skipped from now on, and the next attempt starts (Accepted, nothing sent)
 * under a new externalId, so the next wallet's transfer can never collide with the one the dry wallet got.
 */
export function moveToNextWallet(state: PaymentState, externalId: string, why: string, now: string): PaymentState {
  const { wallet, walletFeeSponsorId: _sponsor, ...next } = nextAttemptState(state, externalId, why, now);
  const dryWallets = wallet ? [...(state.dryWallets ?? []), wallet] : (state.dryWallets ?? []);
  const note = `${why}; attempt ${next.attempt}, externalId ${externalId}`;
  return record({ ...next, dryWallets }, { source: 'workflow', event: 'moved to the next wallet', note }, now, true);
}
