import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  addAmounts,
  emptyTallies,
  initialProgress,
  rowAssetKey,
  type BatchContinuation,
  type BatchProgress,
  type BatchRowResult,
  type BatchStatus,
  type BatchWorkflowInput,
  type StatusTally,
} from '../src/contracts/batch-messages';
import type { BatchRow } from '../src/contracts/batch-row';
import { BatchStatusKey } from '../src/contracts/search-attributes';

/** A copy of tallies (the workflow sandbox has no structuredClone). */
const cloneTallies = (tallies: Record<string, StatusTally>): Record<string, StatusTally> =>
  Object.fromEntries(Object.entries(tallies).map(([k, t]) => [k, { count: t.count, amounts: { ...t.amounts } }]));

/**
 * A batch's state inside its workflow: the tallies of final rows (carried across runs), the rows in flight, and
 * whether it is being cancelled. Every change republishes the current details and the BatchStatus attribute.
 */
export class BatchRun {
  status: BatchStatus = 'Running';
  cancelReason?: string;
  nextChunk: number;
  readonly runNumber: number;
  /** Rows started and not yet final, by payment id. */
  readonly inFlight = new Map<string, BatchRow>();
  private readonly done: Record<string, StatusTally>;
  private doneCount = 0;
  private publishedStatus?: BatchStatus;

  constructor(readonly input: BatchWorkflowInput) {
    const carried = input.continued;
    this.nextChunk = carried?.nextChunk ?? 0;
    this.runNumber = carried?.run ?? 1;
    this.done = cloneTallies(carried?.done ?? {});
    for (const tally of Object.values(this.done)) this.doneCount += tally.count;
    if (carried?.cancelReason !== undefined) {
      this.cancelReason = carried.cancelReason;
      this.status = 'Cancelling';
    }
  }

  get cancelled(): boolean {
    return this.cancelReason !== undefined;
  }

  /** Records a row's final result. */
  finish(result: BatchRowResult): void {
    const tally = (this.done[result.status] ??= { count: 0, amounts: {} });
    tally.count += 1;
    addAmounts(tally.amounts, result.asset, result.amount);
    this.doneCount += 1;
  }

  cancel(reason: string): void {
    if (this.cancelled) return;
    this.cancelReason = reason;
    this.status = 'Cancelling';
    this.publish();
  }

  progress(): BatchProgress {
    const progress = initialProgress(this.input);
    const byStatus = emptyTallies();
    const pending = byStatus.Pending;
    pending.count = this.input.total - this.doneCount - this.inFlight.size;
    pending.amounts = { ...this.input.totals };
    for (const [status, tally] of Object.entries(this.done)) {
      byStatus[status as keyof typeof byStatus] = { count: tally.count, amounts: { ...tally.amounts } };
      for (const [asset, amount] of Object.entries(tally.amounts)) addAmounts(pending.amounts, asset, amount, -1n);
    }
    for (const row of this.inFlight.values()) {
      byStatus.InFlight.count += 1;
      addAmounts(byStatus.InFlight.amounts, rowAssetKey(row), row.body.amount);
      addAmounts(pending.amounts, rowAssetKey(row), row.body.amount, -1n);
    }
    for (const asset of Object.keys(pending.amounts)) if (pending.amounts[asset] === '0') delete pending.amounts[asset];
    return {
      ...progress,
      status: this.status,
      byStatus,
      chunksDone: this.nextChunk,
      run: this.runNumber,
      ...(this.cancelReason !== undefined ? { cancelReason: this.cancelReason } : {}),
    };
  }

  continuation(): BatchContinuation {
    return {
      nextChunk: this.nextChunk,
      done: this.done,
      run: this.runNumber + 1,
      ...(this.cancelReason !== undefined ? { cancelReason: this.cancelReason } : {}),
    };
  }

  /** The current details (Markdown) and the BatchStatus search attribute; the attribute only when it changed. */
  publish(): void {
    const p = this.progress();
    const counts = Object.entries(p.byStatus)
      .filter(([, tally]) => tally.count > 0)
      .map(([status, tally]) => `${status} ${tally.count}`)
      .join(', ');
    const lines = [
      `**${p.status}** — batch of ${p.total} rows, at most ${p.concurrency} payments at once`,
      '',
      `- ${counts}`,
      `- chunk ${Math.min(p.chunksDone + 1, p.chunks)} of ${p.chunks}, run ${p.run}`,
    ];
    if (p.cancelReason) lines.push(`- cancelled: ${p.cancelReason}`);
    lines.push('- query `batchProgress` for counts and amounts per status');
    setCurrentDetails(lines.join('\n'));
    if (this.publishedStatus !== this.status) {
      upsertSearchAttributes([{ key: BatchStatusKey, value: this.status }]);
      this.publishedStatus = this.status;
    }
  }
}
