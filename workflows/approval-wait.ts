import { condition, sleep } from '@temporalio/workflow';
import { denyApproval, getApproval, getTransfer } from './payment-activities';
import { applicationFailure, type PaymentRun } from './payment-run';

/** When the workflow stops waiting for people: Dfns's expiry plus grace, else the configured maximum. */
export function approvalDeadline(run: PaymentRun): number {
  const expiration = run.state.approval?.expirationDate;
  if (expiration && !Number.isNaN(Date.parse(expiration))) return Date.parse(expiration) + run.timings.approvalGraceMs;
  return Date.parse(run.state.statusSince) + run.timings.maxApprovalWaitMs;
}

/** Reads the approval from Dfns and folds it in. */
async function readApproval(run: PaymentRun): Promise<void> {
  const approvalId = run.state.approvalId;
  if (approvalId) run.applyApproval(await getApproval({ approvalId }));
}

/**
 * Denies the approval as the initiator and waits until Dfns shows it decided, so the payment never claims Rejected
 * (or Cancelled) while Dfns could still execute the transfer. If someone approved it first, the payment goes on.
 */
export async function denyAndConfirm(run: PaymentRun, reason: string): Promise<void> {
  const approvalId = run.state.approvalId;
  if (!approvalId) return;
  try {
    run.applyApproval(await denyApproval({ approvalId, reason }));
  } catch (error) {
    const failure = applicationFailure(error);
    if (!failure) throw error;
    // Already decided, or the decision was refused: Dfns's own record below says what happened.
    run.note({ source: 'operator', event: 'denyApproval refused', note: failure.message });
  }
  for (let wait = 2_000; run.state.approval?.status === 'Pending' && !run.final; wait = Math.min(wait * 2, 60_000)) {
    await sleep(wait);
    await readApproval(run);
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
  while (pending()) {
    const seen = run.version;
    const untilDeadline = approvalDeadline(run) - Date.now();
    if (untilDeadline <= 0) {
      await readApproval(run);
      if (run.state.approval?.status === 'Pending') {
        run.note({ source: 'workflow', event: 'approval deadline', note: 'still pending at the deadline; denying it as the initiator' }, true);
        await denyAndConfirm(run, 'approval expired: no decision before the deadline');
      }
      continue;
    }
    const heard = await condition(() => run.version !== seen || !pending(), Math.min(run.timings.approvalPollIntervalMs, untilDeadline));
    if (heard || !pending()) continue;
    if (Date.now() < approvalDeadline(run)) {
      await readApproval(run);
      const transferId = run.state.transferId;
      if (run.status === 'AwaitingApproval' && transferId) run.applyTransfer(await getTransfer({ walletId: run.input.request.walletId, transferId }));
    }
  }
}
