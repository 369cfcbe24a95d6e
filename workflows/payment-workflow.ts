import { allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import { NETWORKS } from '../src/contracts/networks';
import { approvalUpdateSignal, paymentStateQuery, transferUpdateSignal, type PaymentOutcome, type PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { waitForApproval } from './approval-wait';
import { registerOperatorActions } from './operator-actions';
import { getApproval, getTransfer, operatorCalls, sendOutcomeCallback, submitTransfer } from './payment-activities';
import { applicationFailure, PaymentRun, tolerate } from './payment-run';

/**
 * One payment: submit the transfer to Dfns, follow it to a final state through webhooks (polling when silent),
 * retry attempts that failed before reaching the chain, and tell the service how it ended.
 */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentOutcome> {
  const run = new PaymentRun(input);
  setHandler(transferUpdateSignal, (update) => run.acceptSignal(update, 'transfer'));
  setHandler(approvalUpdateSignal, (update) => run.acceptSignal(update, 'approval'));
  setHandler(paymentStateQuery, () => run.state);
  registerOperatorActions(run);
  run.publish();

  for (;;) {
    await submit(run);
    await follow(run);
    if (run.status !== 'AttemptFailed') break;
    if (run.state.attempt < run.timings.maxAutoAttempts) {
      run.retryRequested = false; // an operator's retry that raced this one is satisfied by it
      run.nextAttempt(`automatic retry after: ${run.state.reason ?? 'transfer failed before broadcast'}`);
      continue;
    }
    run.note({ source: 'workflow', event: 'waiting for an operator', note: 'automatic attempts used up; an operator may retry or cancel' }, true);
    await condition(() => run.retryRequested || run.final, run.timings.operatorWindowMs);
    if (run.final) break;
    if (!run.retryRequested) {
      run.finish('Failed', run.state.reason ?? 'transfer failed before broadcast', { source: 'workflow', event: 'operator window closed' });
      break;
    }
    run.retryRequested = false;
    run.nextAttempt('operator retry');
  }

  await explainRejection(run);
  const callbackUrl = input.request.callbackUrl;
  if (callbackUrl) await notify(run, callbackUrl);
  await condition(allHandlersFinished);
  log.info('payment final', { paymentId: input.paymentId, status: run.status });
  return run.outcome();
}

/** Submits the current attempt. Refusals end it: a policy block as Rejected, anything else as Failed. */
async function submit(run: PaymentRun): Promise<void> {
  try {
    run.applyTransfer(await submitTransfer({ request: run.input.request, externalId: run.state.externalId }));
  } catch (error) {
    const failure = applicationFailure(error);
    if (!failure) throw error;
    const entry = { source: 'submit' as const, event: 'transferAsset refused', note: failure.message };
    const blocked = failure.type === FailureType.Forbidden && /polic|block/i.test(failure.message);
    if (blocked) run.finish('Rejected', failure.message, entry, FailureType.Forbidden);
    else run.finish('Failed', failure.message, entry, failure.type ?? FailureType.DfnsUnavailable);
  }
}

/**
 * Follows the current attempt until it is final or failed before broadcast. Webhooks move it; after a silence the
 * workflow reads the transfer itself, backing off while nothing changes. A broadcast transfer overdue for its
 * network is flagged stuck and sped up once.
 */
async function follow(run: PaymentRun): Promise<void> {
  const { walletId, network } = run.input.request;
  const stuckAfter = run.timings.stuckAfterMs ?? NETWORKS[network].stuckAfterMs;
  let silence = run.timings.firstPollAfterMs;
  while (!run.final && run.status !== 'AttemptFailed') {
    if (run.status === 'AwaitingApproval' && run.state.approval?.status !== 'Approved') {
      await waitForApproval(run);
      continue;
    }
    const overdueIn = Date.parse(run.state.statusSince) + stuckAfter - Date.now();
    if (run.status === 'Broadcasted' && !run.state.stuck && overdueIn <= 0) {
      await unstick(run, walletId);
      continue;
    }
    const seen = run.version;
    const wait = run.status === 'Broadcasted' && !run.state.stuck ? Math.min(silence, overdueIn) : silence;
    if (await condition(() => run.version !== seen || run.final, wait)) {
      silence = run.timings.firstPollAfterMs;
      continue;
    }
    if (run.status === 'Broadcasted' && !run.state.stuck && Date.parse(run.state.statusSince) + stuckAfter <= Date.now()) continue;
    const transferId = run.state.transferId;
    const update = transferId ? await tolerate(run, 'getTransfer', () => getTransfer({ walletId, transferId })) : undefined;
    if (update) run.applyTransfer(update);
    silence = Math.min(silence * 2, run.timings.maxPollIntervalMs);
  }
}

/** Flags an overdue broadcast for operators and asks Dfns to speed it up where the network allows. */
async function unstick(run: PaymentRun, walletId: string): Promise<void> {
  const network = run.input.request.network;
  run.markStuck(`broadcast for longer than ${network}'s threshold`);
  const transferId = run.state.transferId;
  if (!NETWORKS[network].supportsSpeedUp || !transferId) return;
  const update = await tolerate(run, 'speedUpTransfer', () => operatorCalls.speedUpTransfer({ walletId, transferId }));
  if (update) run.applyTransfer(update);
}

/**
 * When the transfer's rejection arrived before the approval's decision, reads the approval once so the outcome
 * names who denied it and why (or that it expired) rather than Dfns's generic transfer reason.
 */
async function explainRejection(run: PaymentRun): Promise<void> {
  const { status, approvalId, approval } = run.state;
  if (status !== 'Rejected' || !approvalId || approval?.status === 'Denied' || approval?.status === 'Expired') return;
  const update = await tolerate(run, 'getApproval', () => getApproval({ approvalId }));
  if (update) run.applyApproval(update);
}

/** Sends the signed outcome callback; a service that never answers 2xx is recorded, not allowed to fail the payment. */
async function notify(run: PaymentRun, url: string): Promise<void> {
  const sent = await tolerate(run, 'outcome callback', () => sendOutcomeCallback({ url, outcome: run.outcome() }));
  if (sent) run.note({ source: 'workflow', event: 'outcome callback delivered' }, true);
}
