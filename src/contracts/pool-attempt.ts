import { record, type AttemptSummary, type PaymentState } from './payment-state';

/**
 * Leaves a pool wallet that lacked the funds, whether Dfns refused the transfer or failed it before broadcast: the
 * attempt is summarised, the wallet is skipped from now on, and the next attempt starts (Accepted, nothing sent)
 * under a new externalId, so the next wallet's transfer can never collide with the one the dry wallet got.
 */
export function moveToNextWallet(state: PaymentState, externalId: string, why: string, now: string): PaymentState {
  const summary: AttemptSummary = { attempt: state.attempt, externalId: state.externalId, reason: why };
  if (state.transferId) summary.transferId = state.transferId;
  if (state.wallet) summary.walletId = state.wallet;
  const {
    wallet,
    walletFeeSponsorId: _sponsor,
    transferId: _t,
    approvalId: _a,
    approval: _ap,
    txHash: _h,
    fee: _f,
    reason: _r,
    failureType: _ft,
    ...rest
  } = state;
  const dryWallets = wallet ? [...(state.dryWallets ?? []), wallet] : (state.dryWallets ?? []);
  const next: PaymentState = {
    ...rest,
    attempt: state.attempt + 1,
    externalId,
    status: 'Accepted',
    stuck: false,
    statusSince: now,
    updatedAt: now,
    dryWallets,
    previousAttempts: [...state.previousAttempts, summary],
  };
  const note = `${why}; attempt ${next.attempt}, externalId ${externalId}`;
  return record(next, { source: 'workflow', event: 'moved to the next wallet', note }, now, true);
}
