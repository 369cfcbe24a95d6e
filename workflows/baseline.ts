import { patched, workflowInfo } from '@temporalio/workflow';
import type { PaymentWorkflowInput } from '../src/contracts/payment-messages';

/**
 * The changes baseline 1 takes, oldest first: every change to the payment workflow guarded with patched() before
 * baselines existed. A later change is guarded with patched() as usual, until a later baseline takes it in.
 */
export const BASELINE_1 = [
  'neutral-failure-details',
  'continue-as-new',
  'stuck-escalation',
  'escalate-stuck-without-speed-up',
  'callback-task-queue',
  'dfns-cost-queues',
  'wallet-pools',
  'lean-actions',
] as const;

/**
 * Baseline 2: baseline 1 and the ledger memo a closing payment publishes. Payments of baseline 1 were recorded
 * without the memo (test/histories/baseline-*.json): they ask patched() for it, and keep closing without one.
 */
export const BASELINE_2 = [...BASELINE_1, 'ledger-memo'] as const;

/** The changes each baseline takes; a later baseline takes every change of the earlier ones. */
export const BASELINES: Readonly<Record<number, readonly BaselineChange[]>> = { 1: BASELINE_1, 2: BASELINE_2 };

/**
 * The changes guarded with patched() that no baseline takes, each with the reason. Every patch id in workflows/ is in
 * a baseline (and asked through changed()) or here (asked through patched()); test/workflows/baseline-coverage.test.ts
 * keeps it so. A later change to the payment workflow is listed here until a later baseline takes it in.
 */
export const OUTSIDE_BASELINES: Readonly<Record<string, string>> = {
  'batch-row-follows-existing-payment':
    "the batch workflow's: a baseline is part of a payment's input, and a batch's input carries none",
};

/** A change a baseline takes. */
export type BaselineChange = (typeof BASELINE_2)[number];

/**
 * Whether the payment takes the change `patchId` guards (https://docs.temporal.io/develop/typescript/versioning).
 *
 * A payment started without a baseline, or with one that does not take this change (or that this worker does not
 * know), is decided by patched(), as before: a new run records a marker and takes the change; a replay takes it where
 * its history has the marker, and keeps the old branch where it has none.
 *
 * A payment whose baseline takes the change takes the change and records nothing: no marker and no TemporalChangeVersion upsert,
 * the two events the SDK writes for every patched() call, and for every deprecatePatch() call too. patched() is asked
 * only while replaying, where it records nothing: it matches a marker that a worker of an earlier version (which
 * ignored the baseline and took the change through patched()) wrote for this payment, so such a history replays.
 */
export function changed(input: PaymentWorkflowInput, patchId: BaselineChange): boolean {
  const taken = input.baseline === undefined ? undefined : BASELINES[input.baseline];
  if (!taken?.includes(patchId)) return patched(patchId);
  if (workflowInfo().unsafe.isReplaying) patched(patchId);
  return true;
}
