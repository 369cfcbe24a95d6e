import type { ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { readRefusal, type Refusal } from '../src/contracts/failure-details';
import { CallbackFailureType, FailureType } from '../src/contracts/failure-types';
import { NETWORKS } from '../src/contracts/networks';
import {
  legacyApprovalUpdateSignal,
  legacyTransferUpdateSignal,
  paymentChangeUpdate,
  paymentReadUpdate,
  paymentSnapshotUpdate,
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../src/contracts/payment-messages';
import { waitForApproval } from './approval-wait';
import { changed } from './baseline';
import { continueAsNewIfDue, historyBudgetUsed } from './continue-as-new';
import { followTransfer } from './follow-transfer';
import { escalate, untilEscalation } from './stuck-escalation';
import { cancelPayment, cancelRefusal, registerOperatorActions } from './operator-actions';
import {
  callbackActivities,
  getApproval,
  getTransfer,
  operatorCalls,
  sendOutcomeCallback,
  submitTransfer,
} from './payment-activities';
import { readLegacyRefusal } from '../src/dfns/legacy-failure-details';
import { publishLedger } from './payment-ledger';
import { countPaymentFinished, countPaymentStarted } from './payment-metrics';
import { activityFailureMessage, applicationFailure, PaymentRun, tolerate } from './payment-run';
import { setReadHandler } from './read-handler';
import {
  finalReleaseOutcome,
  lackedFunds,
  leaveDryWallet,
  releaseWallet,
  reserveWallet,
  usesPool,
} from './pool-routing';

/**
 * One payment: submit the transfer to Dfns, follow it to a final state through webhooks (polling when silent),
 * retry attempts that failed before reaching the chain, and tell the service how it ended.
 */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentOutcome> {
  const run = new PaymentRun(input);
  countPaymentStarted();
  setHandler(paymentUpdateSignal, (update) => run.acceptUpdate(update));
  // Payments started before paymentUpdate have these signals in their histories; handling them the same way keeps
  // those histories replaying. Registering a handler adds no command, so no patched() is needed.
  setHandler(legacyTransferUpdateSignal, (update) => run.acceptUpdate(update, 'transfer'));
  setHandler(legacyApprovalUpdateSignal, (update) => run.acceptUpdate(update, 'approval'));
  setHandler(paymentStateQuery, () => run.state);
  // Reads of a running payment: an Update, refused once the run is due to continue as new (read-handler.ts).
  setReadHandler(
    paymentReadUpdate,
    () => run.state,
    () => historyBudgetUsed(run),
  );
  // Update-with-Start delivers the starting call's Update first, so only that call sees created = true; a run that
  // continued as new was created by an earlier one.
  let snapshots = input.continued ? 1 : 0;
  setHandler(paymentSnapshotUpdate, () => ({ state: run.state, created: snapshots++ === 0 }), {
    description: 'Read the state (Update-with-Start)',
  });
  // Followers long-poll here instead of querying in a loop; registering it adds no command (no patched() needed).
  setHandler(paymentChangeUpdate, (request) => run.changeAfter(request), {
    description: 'Wait until the payment changes past the version a follower has seen',
  });
  registerOperatorActions(run);
  run.publish();

  try {
    await pay(run);
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // A cancellation requested through Temporal (Web UI, CLI) must not abandon a live transfer: it is handled as an
    // operator cancel, and the payment is followed until Dfns agrees on how it ended.
    await CancellationScope.nonCancellable(() => cancelledThroughTemporal(run));
  }

  // Shielded: a cancellation request must not cut off the explanation or the service's callback either.
  return CancellationScope.nonCancellable(async () => {
    await explainRejection(run);
    if (usesPool(run)) await releaseWallet(run, finalReleaseOutcome(run));
    const callbackUrl = input.request.callbackUrl;
    if (callbackUrl) await notify(run, callbackUrl);
    await condition(allHandlersFinished);
    const { attempt: paymentAttempt, transferId, approvalId } = run.state;
    log.info('payment final', {
      paymentId: input.paymentId,
      status: run.status,
      paymentAttempt,
      transferId,
      approvalId,
    });
    countPaymentFinished(run.status);
    publishLedger(run);
    return run.outcome();
  });
}

// On a versioned worker a payment finishes on the version that started it (src/temporal/worker-deployment.ts); one
// that waits long is moved by an operator once its history replays on the new version (docs/operations.md). Declared
// only where the task runs on a versioned worker (an unversioned one has a build id but no deployment name): an
// unversioned worker's task completion may not carry a behavior, Temporal refuses it.
setWorkflowOptions(
  () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'PINNED' } : {}),
  paymentWorkflow,
);

/** Submits and follows attempts until the payment is final. */
async function pay(run: PaymentRun): Promise<void> {
  for (;;) {
    if (run.status === 'Accepted') await submit(run); // a continued run may resume past the submission
    await follow(run);
    if (run.status !== 'AttemptFailed') break;
    if (usesPool(run) && lackedFunds(run)) {
      // Dfns failed the transfer before broadcast for lack of funds: another wallet of the pool pays instead.
      await leaveDryWallet(run, run.state.reason ?? 'insufficient funds');
      continue;
    }
    if (run.state.attempt < run.timings.maxAutoAttempts) {
      run.retryRequested = false; // an operator's retry that raced this one is satisfied by it
      run.nextAttempt(`automatic retry after: ${run.state.reason ?? 'transfer failed before broadcast'}`);
      continue;
    }
    if (run.operatorDeadline === undefined) {
      const note = 'automatic attempts used up; an operator may retry or cancel';
      run.note({ source: 'workflow', event: 'waiting for an operator', note }, true);
      run.operatorDeadline = Date.now() + run.timings.operatorWindowMs;
    }
    await condition(() => run.retryRequested || run.final, Math.max(run.operatorDeadline - Date.now(), 1));
    run.operatorDeadline = undefined;
    if (run.final) break;
    if (!run.retryRequested) {
      run.finish('Failed', run.state.reason ?? 'transfer failed before broadcast', {
        source: 'workflow',
        event: 'operator window closed',
      });
      break;
    }
    run.retryRequested = false;
    run.nextAttempt('operator retry');
  }
}

/** Cancels through the operator path where the state allows it, then follows the payment to a final state. */
async function cancelledThroughTemporal(run: PaymentRun): Promise<void> {
  run.note(
    { source: 'operator', event: 'workflow cancellation requested', note: 'handled as an operator cancel' },
    true,
  );
  if (run.status === 'Accepted' && usesPool(run) && !run.state.wallet) {
    // Still waiting for its pool to give it a wallet: nothing was sent, so nothing is left to follow.
    run.finish('Cancelled', 'workflow cancellation requested', { source: 'operator', event: 'cancel' });
    return;
  }
  if (run.status === 'Accepted') await submit(run); // learn what Dfns holds before trying to cancel it
  const refusal = cancelRefusal(run);
  if (refusal) run.note({ source: 'operator', event: 'cancel refused', note: refusal });
  else
    await cancelPayment(run, { operator: 'temporal', reason: 'workflow cancellation requested' }).catch(
      (error: unknown) => {
        run.note({
          source: 'operator',
          event: 'cancel failed',
          note: error instanceof Error ? error.message : String(error),
        });
      },
    );
  await follow(run);
  if (run.status === 'AttemptFailed')
    run.finish('Cancelled', 'workflow cancellation requested', { source: 'operator', event: 'cancel' });
}

/** Refusals the provider makes from the request alone: a retry with the same body cannot have been accepted earlier. */
const REQUEST_REFUSALS: string[] = [FailureType.InvalidTransfer, FailureType.InsufficientFunds];

/**
 * Marks histories whose refusals are read as failure types and neutral details (`readRefusal`). A history without
 * the marker recorded its refusals before that, and is read the old way (`readLegacyRefusal`) so that a payment
 * replayed from it takes the branches it took then. See https://docs.temporal.io/develop/typescript/versioning
 */
const NEUTRAL_FAILURES_PATCH = 'neutral-failure-details';

/** Marks histories whose outcome callback runs on its own task queue, outside the Dfns budget. */
const CALLBACK_QUEUE_PATCH = 'callback-task-queue';

/** Marks histories in which an overdue broadcast escalates step by step rather than being sped up once. */
const STUCK_ESCALATION_PATCH = 'stuck-escalation';

/** What a refused submission says, however the activity that refused recorded it. */
const refusalOf = (run: PaymentRun, failure: ApplicationFailure): Refusal =>
  changed(run.input, NEUTRAL_FAILURES_PATCH) ? readRefusal(failure) : readLegacyRefusal(failure);

/**
 * Submits the current attempt. A refusal ends it (a policy block as Rejected, anything else as Failed) only when
 * nothing can exist in Dfns: the first try was refused, or the request itself was. A refusal on a retry (a token
 * expired, a permission changed) says nothing about what the first try created, so the payment is flagged for a
 * person and the same externalId is resubmitted, safely, until Dfns answers or a webhook shows the transfer.
 * A refusal naming the transfer Dfns already holds under the externalId follows that transfer.
 */
async function submit(run: PaymentRun): Promise<void> {
  // A pool payment asks its pool for a wallet first; a dry wallet sends it back for another (pool-routing.ts).
  for (;;) {
    if (usesPool(run) && !run.state.wallet && !(await reserveWallet(run))) return;
    if ((await submitAttempt(run)) !== 'next wallet') return;
  }
}

/** Submits the current attempt to its wallet; 'next wallet' when that pool wallet lacked the funds. */
async function submitAttempt(run: PaymentRun): Promise<'next wallet' | undefined> {
  const externalId = run.state.externalId;
  for (let wait = run.timings.firstPollAfterMs; ; wait = Math.min(wait * 2, run.timings.maxPollIntervalMs)) {
    try {
      run.applyTransfer(await submitTransfer(run, { request: run.attemptRequest, externalId, payer: run.payer }));
      return;
    } catch (error) {
      const failure = applicationFailure(error);
      if (!failure) throw error;
      // A payer the clients file does not allow is refused by the worker itself, before Dfns is called.
      const unbound = failure.type === FailureType.WalletNotBound;
      const event = unbound ? 'payer refused' : 'transferAsset refused';
      const entry = { source: 'submit' as const, event, note: failure.message };
      if (run.state.transferId !== undefined || run.status !== 'Accepted') {
        run.note({ ...entry, note: `${failure.message}; Dfns already holds this attempt's transfer, following it` });
        return;
      }
      const refusal = refusalOf(run, failure);
      const held = refusal.existingTransferId;
      const walletId = run.walletId;
      const found =
        held && (await tolerate(run, 'getTransfer', () => getTransfer(run, { walletId, transferId: held })));
      if (found) {
        run.applyTransfer(found);
        return;
      }
      if (refusal.type === FailureType.InsufficientFunds && usesPool(run)) {
        run.note(entry);
        await leaveDryWallet(run, failure.message);
        return 'next wallet';
      }
      if (refusal.attempt === 1 || REQUEST_REFUSALS.includes(refusal.type)) {
        if (refusal.policyBlocked) run.finish('Rejected', failure.message, entry, refusal.type);
        else run.finish('Failed', failure.message, entry, refusal.type);
        return;
      }
      const why = 'refused on a retry, so Dfns may already hold the transfer';
      run.flagForAttention(entry, `${why}; resubmitting ${externalId} until Dfns answers`);
      if (await condition(() => run.status !== 'Accepted' || run.final, wait)) return;
      await continueAsNewIfDue(run);
    }
  }
}

/**
 * Follows the current attempt until it is final or failed before broadcast. Webhooks move it; after a silence the
 * workflow reads the transfer itself, backing off while nothing changes (further once it is stuck). A broadcast
 * transfer overdue for its network escalates step by step (stuck-escalation.ts).
 */
async function follow(run: PaymentRun): Promise<void> {
  if (run.lean) return followTransfer(run);
  const { network } = run.input.request;
  const walletId = run.walletId;
  const escalating = changed(run.input, STUCK_ESCALATION_PATCH);
  const stuckAfter = run.timings.stuckAfterMs ?? NETWORKS[network].stuckAfterMs;
  let silence = run.timings.firstPollAfterMs;
  /** Time until the next stuck step is due; Infinity when none can be (any more). */
  const untilStuck = escalating
    ? () => untilEscalation(run)
    : () =>
        run.status === 'Broadcasted' && !run.state.stuck
          ? Date.parse(run.state.statusSince) + stuckAfter - Date.now()
          : Infinity;
  const maxSilence = () =>
    escalating && run.state.stuck ? run.timings.maxStuckPollIntervalMs : run.timings.maxPollIntervalMs;
  while (!run.final && run.status !== 'AttemptFailed') {
    await continueAsNewIfDue(run);
    if (run.status === 'AwaitingApproval' && run.state.approval?.status !== 'Approved') {
      await waitForApproval(run);
      continue;
    }
    if (untilStuck() <= 0) {
      await (escalating ? escalate(run) : unstick(run, walletId));
      continue;
    }
    const seen = run.version;
    if (await condition(() => run.version !== seen || run.final, Math.min(silence, untilStuck()))) {
      silence = run.timings.firstPollAfterMs;
      continue;
    }
    if (untilStuck() <= 0) continue; // the stuck threshold, not the silence, ended the wait
    const transferId = run.state.transferId;
    const update = transferId
      ? await tolerate(run, 'getTransfer', () => getTransfer(run, { walletId, transferId }))
      : undefined;
    if (update) run.applyTransfer(update);
    silence = Math.min(silence * 2, maxSilence());
  }
}

/**
 * Marks histories where a stuck transfer on a network without speed-up (Tron, Solana) is escalated to a person.
 * See https://docs.temporal.io/develop/typescript/versioning
 */
const ESCALATE_STUCK_PATCH = 'escalate-stuck-without-speed-up';

/**
 * Before stuck escalation (stuck-escalation.ts): flags an overdue broadcast and asks Dfns to speed it up once where
 * the network allows; where it does not, a person is asked to look (needsAttention). Kept for payments replaying it.
 */
async function unstick(run: PaymentRun, walletId: string): Promise<void> {
  const network = run.input.request.network;
  run.markStuck(`broadcast for longer than ${network}'s threshold`);
  const transferId = run.state.transferId;
  if (!NETWORKS[network].supportsSpeedUp && changed(run.input, ESCALATE_STUCK_PATCH)) {
    const why = `Dfns cannot speed up a transfer on ${network}; a person must decide whether to wait or act`;
    run.flagForAttention({ source: 'workflow', event: 'escalated to a person' }, why);
  }
  if (!NETWORKS[network].supportsSpeedUp || !transferId) return;
  const update = await tolerate(run, 'speedUpTransfer', () =>
    operatorCalls(run).speedUpTransfer({ walletId, transferId }),
  );
  if (update) run.applyTransfer(update);
}

/**
 * When the transfer's rejection arrived before the approval's decision, reads the approval once so the outcome
 * names who denied it and why (or that it expired) rather than Dfns's generic transfer reason.
 */
async function explainRejection(run: PaymentRun): Promise<void> {
  const { status, approvalId, approval } = run.state;
  if (status !== 'Rejected' || !approvalId || approval?.status === 'Denied' || approval?.status === 'Expired') return;
  const update = await tolerate(run, 'getApproval', () => getApproval(run, { approvalId }));
  if (update) run.applyApproval(update);
}

/**
 * Sends the signed outcome callback. A service that never answers 2xx is recorded, and so is a callback the worker
 * refused to send (CallbackBlocked); neither is allowed to fail the payment.
 */
async function notify(run: PaymentRun, url: string): Promise<void> {
  // A lean run always uses the callback queue: asking the older patch would record a marker (an action) for nothing.
  const onQueue = run.lean || changed(run.input, CALLBACK_QUEUE_PATCH);
  const send = onQueue ? callbackActivities().sendOutcomeCallback : sendOutcomeCallback;
  // The client picks which callback hosts the worker allows; a new input field, not a new command.
  const clientId = run.state.clientId ?? run.input.clientId;
  const input = { url, outcome: run.outcome(), ...(clientId !== undefined ? { clientId } : {}) };
  try {
    await send(input);
    run.note({ source: 'workflow', event: 'outcome callback delivered' }, true);
  } catch (error) {
    const failure = applicationFailure(error);
    if (failure?.type === CallbackFailureType.CallbackBlocked) {
      run.note({ source: 'workflow', event: 'outcome callback blocked', note: failure.message });
      return;
    }
    const message = activityFailureMessage(error);
    if (message === undefined) throw error;
    run.note({ source: 'workflow', event: 'outcome callback failed', note: message });
  }
}
