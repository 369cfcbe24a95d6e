import { condition, getExternalWorkflowHandle, uuid4 } from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import type { ReleaseOutcome, ReserveResult } from '../src/contracts/pool-messages';
import { releaseWalletSignal } from '../src/contracts/pool-messages';
import { poolWorkflowId } from '../src/contracts/pool-messages';
import { changed } from './baseline';
import { continueAsNewIfDue } from './continue-as-new';
import { reservePoolWallet } from './pool-activities';
import { activityFailureMessage, applicationFailure, type PaymentRun } from './payment-run';

/**
 * Marks histories of payments that may name a wallet pool. No payment recorded before it names one, so the marker
 * only ever appears in pool payments' histories. See https://docs.temporal.io/develop/typescript/versioning
 */
const WALLET_POOLS_PATCH = 'wallet-pools';

/** Whether the payment's wallet comes from a pool (the request names one instead of a wallet). */
export function usesPool(run: PaymentRun): boolean {
  return run.input.request.pool !== undefined && changed(run.input, WALLET_POOLS_PATCH);
}

/**
 * Reserves a wallet of the payment's pool for the current attempt. While no wallet can cover the amount, the
 * payment waits visibly (PaymentWaitingForFunds) and asks again every `refillRecheckMs`, forgetting which wallets
 * were dry (a refill may reach any of them), until the refill window closes and it fails. Returns false when the
 * payment ended instead (the window closed, an operator cancelled, the pool is unknown to the worker).
 */
export async function reserveWallet(run: PaymentRun): Promise<boolean> {
  const { request, paymentId } = run.input;
  const entry = { source: 'workflow' as const, event: 'pool refused' };
  for (;;) {
    let result: ReserveResult;
    try {
      const exclude = run.state.dryWallets ?? [];
      // A fresh id per question: Temporal answers a repeated Update id with the first answer.
      const updateId = `${paymentId}:${uuid4()}`;
      result = await reservePoolWallet({ paymentId, request, exclude, updateId, payer: run.payer });
    } catch (error) {
      const failure = applicationFailure(error);
      if (!failure) throw error;
      run.finish(
        'Failed',
        `pool ${request.pool}: ${failure.message}`,
        entry,
        failure.type ?? FailureType.PoolUnavailable,
      );
      return false;
    }
    if ('walletId' in result) {
      run.assignWallet(result.walletId, result.feeSponsorId);
      return true;
    }
    const waitMs = run.timings.refillWaitMs ?? result.refillWaitMs;
    const until = run.state.waitingForFunds?.until ?? new Date(Date.now() + waitMs).toISOString();
    if (!run.state.waitingForFunds) run.startWaitingForFunds(until, result.refused);
    const left = Date.parse(until) - Date.now();
    if (left <= 0) {
      const reason = `no wallet of pool ${request.pool} could pay ${request.amount} before the refill window closed`;
      run.finish('Failed', `${reason}: ${result.refused}`, entry, FailureType.PoolFundsExhausted);
      return false;
    }
    if (await condition(() => run.final, Math.min(run.timings.refillRecheckMs, left))) return false;
    run.forgetDryWallets();
    await continueAsNewIfDue(run);
  }
}

/**
 * Gives the payment's reservation back to its pool: once the payment is final, or when it leaves a dry wallet.
 * Sent even when the payment holds no wallet it knows of (an ask cut off by a cancellation may have reserved one);
 * the pool drops whatever the payment holds. A failure to signal is recorded, never allowed to fail the payment.
 */
export async function releaseWallet(run: PaymentRun, outcome: ReleaseOutcome): Promise<void> {
  const { request, paymentId } = run.input;
  if (request.pool === undefined) return;
  const release = { paymentId, walletId: run.state.wallet ?? '', outcome, amount: request.amount };
  try {
    await getExternalWorkflowHandle(poolWorkflowId(request.pool)).signal(releaseWalletSignal, release);
  } catch (error) {
    const note = activityFailureMessage(error) ?? (error instanceof Error ? error.message : String(error));
    run.note({ source: 'workflow', event: 'pool release failed', note });
  }
}

/** Whether the current attempt failed for lack of funds: refused as such, or failed before broadcast saying so. */
export function lackedFunds(run: PaymentRun): boolean {
  const { failureType, reason } = run.state;
  return failureType === FailureType.InsufficientFunds || /insufficient/i.test(reason ?? '');
}

/** Leaves the dry wallet: its reservation goes back to the pool, and the next attempt asks for another wallet. */
export async function leaveDryWallet(run: PaymentRun, why: string): Promise<void> {
  const dry = run.walletId;
  await releaseWallet(run, 'dry');
  run.moveToNextWallet(`${dry} lacked the funds for ${run.input.request.amount} (${why})`);
}

/** How a final payment's hold ends: its amount left the wallet only if it confirmed. */
export const finalReleaseOutcome = (run: PaymentRun): ReleaseOutcome =>
  run.status === 'Confirmed' ? 'paid' : 'unused';
