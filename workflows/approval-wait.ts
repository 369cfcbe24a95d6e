import { condition, sleep } from '@temporalio/workflow';
import { denyApproval, getApproval, getTransfer } from './payment-activities';
import { Alarm } from './alarm';
import { continueAsNewIfDue } from './continue-as-new';
import { tolerate, type PaymentRun } from './payment-run';

/** When the workflow stops waiting for people: Dfns's expiry plus grace, else the configured maximum. */
export function approvalDeadline(run: PaymentRun): number {
  const expiration = run.state.approval?.expirationDate;
  if (expiration && !Number.isNaN(Date.parse(expiration))) return Date.parse(expiration) + run.timings.approvalGraceMs;
  return Date.parse(run.state.statusSince) + run.timings.maxApprovalWaitMs;
}

/** Reads the approval from Dfns and folds it in; false when the read failed (recorded). */
async function readApproval(run: PaymentRun): Promise<boolean> {
  const approvalId = run.state.approvalId;
  if (!approvalId) return false;
  const urgent = Date.now() >= approvalDeadline(run); // at the deadline it goes before routine reads
  const update = await tolerate(run, 'getApproval', () => getApproval(run, { approvalId }, urgent));
  if (update) run.applyApproval(update);
  return update !== undefined;
}

/**
 * Denies the approval as the initiator and waits until Dfns shows it decided, so the payment never claims Rejected
 * (or Cancelled) while Dfns could still execute the transfer. If someone approved it first, the payment goes on.
 */
export async function denyAndConfirm(run: PaymentRun, reason: string): Promise<void> {
  const approvalId = run.state.approvalId;
  if (!approvalId) return;
  // Already decided, refused, or unreachable: Dfns's own record, read below, says what happened.
  const denied = await tolerate(run, 'denyApproval', () => denyApproval(run, { approvalId, reason }));
  if (denied) run.applyApproval(denied);
  // Back off to the approval poll interval: a denial Dfns keeps refusing must not flood the history.
  for (
    let wait = 2_000, reads = 0;
    run.state.approval?.status === 'Pending' && !run.final;
    wait = Math.min(wait * 2, run.timings.approvalPollIntervalMs)
  ) {
    await sleep(wait);
    await readApproval(run);
    if (++reads === 5 && run.state.approval?.status === 'Pending') {
      run.flagForAttention(
        { source: 'workflow', event: 'approval still pending' },
        'Dfns has not recorded the denial after five reads',
      );
    }
  }
}

/**
 * Waits while a person may still decide: for webhooks first, polling Dfns when silent, and at the deadline
 * re-reading the approval and denying it if it is still pending. Returns once the approval is decided (an
 * approved transfer is then followed like any other) or the payment has moved on.
 */
export async function waitForApproval(run: PaymentRun): Promise<void> {
  // The transfer names its approval; the approval itself (expiry, decisions) comes from a webhook or one read.
  if (!run.state.approval) await readApproval(run);
  const pending = () => run.status === 'AwaitingApproval' && run.state.approval?.status !== 'Approved';
  // Both back off while nothing changes: a year-long wait, or a Dfns that keeps failing at the deadline, must not
  // fill the history (each poll is about ten events).
  let poll = firstApprovalPoll(run);
  let retry = run.timings.firstPollAfterMs;
  const alarm = new Alarm();
  while (pending()) {
    await continueAsNewIfDue(run);
    const seen = run.version;
    const untilDeadline = approvalDeadline(run) - Date.now();
    if (untilDeadline <= 0) {
      if (!(await readApproval(run))) {
        await sleep(retry);
        retry = Math.min(retry * 2, run.timings.maxRetryBackoffMs);
        continue;
      }
      if (run.state.approval?.status === 'Pending') {
        run.note(
          {
            source: 'workflow',
            event: 'approval deadline',
            note: 'still pending at the deadline; denying it as the initiator',
          },
          true,
        );
        await denyAndConfirm(run, 'approval expired: no decision before the deadline');
      }
      continue;
    }
    const woken = () => run.version !== seen || !pending();
    const heard = run.lean
      ? await alarm.until(Date.now() + Math.min(poll, untilDeadline), woken)
      : await condition(woken, Math.min(poll, untilDeadline));
    if (heard || !pending()) {
      poll = firstApprovalPoll(run);
      continue;
    }
    if (Date.now() < approvalDeadline(run)) {
      const read = await readApproval(run);
      const transferId = run.state.transferId;
      // A lean run reads the transfer only when the approval could not be read: while the approval is pending the
      // transfer cannot move, and a decision the read shows ends this wait.
      if (run.status === 'AwaitingApproval' && transferId && (!run.lean || !read)) {
        const update = await tolerate(run, 'getTransfer', () =>
          getTransfer(run, { walletId: run.walletId, transferId }),
        );
        if (update) run.applyTransfer(update);
      }
      poll = nextApprovalPoll(run, poll, read);
    }
  }
}

/** Whether the approval wait is still in its first, fast-polled stretch (lean runs only). */
function inFastWindow(run: PaymentRun): boolean {
  return run.lean && Date.now() < Date.parse(run.state.statusSince) + run.timings.approvalFastWindowMs;
}

/** The first poll interval of a wait, or after something was heard. */
function firstApprovalPoll(run: PaymentRun): number {
  return inFastWindow(run) ? run.timings.approvalFirstPollMs : run.timings.approvalPollIntervalMs;
}

/**
 * The interval after a poll that found nothing. Lean runs poll fast first, so a decision whose webhooks were all lost
 * is noticed within approvalFastPollMs, then back off from approvalPollIntervalMs; failing reads back off at once.
 */
function nextApprovalPoll(run: PaymentRun, poll: number, read: boolean): number {
  const { approvalFastPollMs, approvalPollIntervalMs, maxApprovalPollIntervalMs } = run.timings;
  if (!run.lean) return Math.min(poll * 2, maxApprovalPollIntervalMs);
  if (read && inFastWindow(run)) return Math.min(poll * 2, approvalFastPollMs);
  return Math.min(Math.max(poll * 2, read ? approvalPollIntervalMs : 0), maxApprovalPollIntervalMs);
}
