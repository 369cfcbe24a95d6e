import { record, type AttemptSummary, type PaymentState } from './payment-state';

/**
 * Leaves a pool wallet that refused the payment for insufficient funds: the attempt is summarised, the wallet is
 * skipped from now on, and the next attempt starts (still Accepted, nothing sent) under a new externalId, so the
 * next wallet's transfer can never collide with the refused one.
 */
export function moveToNextWallet(state: PaymentState, externalId: string, why: string, now: string): PaymentState {
  const summary: AttemptSummary = { attempt: state.attempt, externalId: state.externalId };
  if (state.wallet) summary.walletId = state.wallet;
  summary.reason = why;
  const { wallet, walletFeeSponsorId: _sponsor, ...rest } = state;
  const dryWallets = wallet ? [...(state.dryWallets ?? []), wallet] : (state.dryWallets ?? []);
  const entry = {
    source: 'workflow' as const,
    event: 'moved to the next wallet',
    note: `${why}; attempt ${state.attempt + 1}, externalId ${externalId}`,
  };
  return record(
    {
      ...rest,
      attempt: state.attempt + 1,
      externalId,
      dryWallets,
      previousAttempts: [...state.previousAttempts, summary],
      updatedAt: now,
    },
    entry,
    now,
    true,
  );
}
