import { ActivityFailure } from '@temporalio/common';
import { metricMeter, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { driftFindings, emptyTally, sameBalances } from '../src/contracts/balance-drift';
import { duplicateFindings, mergeLive } from '../src/contracts/reconcile-transfers';
import {
  acknowledge,
  addFindings,
  FINDING_KINDS,
  openCounts,
  type Finding,
} from '../src/contracts/reconciliation-findings';
import {
  DEFAULT_RECONCILIATION_TIMINGS,
  type AcknowledgeRequest,
  type ReconciliationInput,
  type ReconciliationState,
  type ReconciliationTimings,
  type RunProgress,
  type RunRequest,
  type RunTicket,
  type ScheduledRun,
  type WalletRun,
} from '../src/contracts/reconciliation-messages';
import {
  ReconciliationFindingKindsKey,
  ReconciliationOpenFindingsKey,
  ReconciliationWalletsKey,
} from '../src/contracts/search-attributes';
import { WorkerMetric } from '../src/observability/metric-names';
import { reconciliationReads } from './reconciliation-activities';

/** Workflow time as ISO 8601 (deterministic inside a workflow). */
const now = (): string => new Date().toISOString();

const failureMessage = (error: ActivityFailure): string => error.cause?.message ?? error.message;

/**
 * One reconciliation's state inside its workflow: the checkpoints, the findings, the runs asked for and the one in
 * progress. Every change goes through here, so the search attributes and the details in the Web UI follow it.
 */
export class Reconciliation {
  state: ReconciliationState;
  pending: RunRequest[];
  progress?: RunProgress;
  timings: ReconciliationTimings;
  /** Set once the workflow is about to continue as new: waiting callers are answered and ask the next run. */
  handingOver = false;
  private publishedAttributes = '';
  private publishedDetails = '';

  constructor(readonly input: ReconciliationInput) {
    this.timings = { ...DEFAULT_RECONCILIATION_TIMINGS, ...input.timings };
    this.state = input.carried?.state ?? {
      reconciliationId: input.reconciliationId,
      scope: input.scope,
      wallets: input.wallets,
      checkpoints: {},
      book: { findings: [], acknowledgedOmitted: 0, openOmitted: {} },
      runs: [],
      runCount: 0,
      queued: 0,
    };
    this.pending = input.carried?.pending ?? [];
    this.progress = input.carried?.progress;
  }

  /** A Schedule tick: one scheduled run waits at most; the wallets and the look-back follow the worker's configuration. */
  schedule(tick: ScheduledRun): void {
    const wallets = Array.isArray(tick?.wallets) ? tick.wallets.filter((w) => typeof w === 'string') : [];
    if (wallets.length > 0) this.state = { ...this.state, wallets };
    if (typeof tick?.lookbackMs === 'number' && tick.lookbackMs > 0)
      this.timings = { ...this.timings, lookbackMs: tick.lookbackMs };
    if (!this.pending.some((request) => request.trigger === 'schedule')) this.pending.push({ trigger: 'schedule' });
    this.refresh();
  }

  /** An operator's run: queued after those already asked for; its number is returned to wait for. */
  request(request: RunRequest): RunTicket {
    this.pending.push(request);
    this.refresh();
    return { run: this.state.runCount + (this.progress ? 1 : 0) + this.pending.length };
  }

  /** Whether run `run` has finished. */
  finished(run: number): boolean {
    return this.state.runCount >= run;
  }

  /** Records an operator's acknowledgement (the validator has checked the request and the finding). */
  acknowledge(request: AcknowledgeRequest): Finding {
    const ack = { by: request.operator.trim(), reason: request.reason.trim(), at: now() };
    const finding = this.state.book.findings.find((candidate) => candidate.id === request.findingId);
    this.state = { ...this.state, book: acknowledge(this.state.book, request.findingId, ack) };
    this.publish();
    if (!finding) throw new Error(`no finding ${request.findingId}`); // the validator refuses this first
    return { ...finding, acknowledged: ack };
  }

  /** Starts the next run asked for, if any. */
  startNext(): boolean {
    const request = this.pending.shift();
    if (!request) return false;
    const run = this.state.runCount + 1;
    const startedAt = now();
    this.progress = { run, request, startedAt, walletIndex: 0, phase: 'transfers', live: {}, drafts: [], wallets: [] };
    this.refresh();
    return true;
  }

  /** Moves the run in progress one Dfns read forward; finishes it after its last wallet. */
  async step(): Promise<void> {
    const p = this.progress;
    if (!p) return;
    const walletId = this.state.wallets[p.walletIndex];
    if (walletId === undefined) return this.finishRun(p);
    const wallet = this.walletRun(p, walletId);
    try {
      if (p.phase === 'transfers') await this.transferStep(p, wallet);
      else await this.balanceStep(p, wallet);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      if (p.phase === 'transfers') {
        wallet.error = `transfers: ${failureMessage(error)}`;
        this.toBalances(p);
      } else {
        wallet.balance = 'failed';
        wallet.error = [wallet.error, `balances: ${failureMessage(error)}`].filter(Boolean).join('; ');
        this.nextWallet(p);
      }
    }
  }

  /** The wallet's part of the run, created when the run reaches it (with where its transfer reading stops). */
  private walletRun(p: RunProgress, walletId: string): WalletRun {
    const existing = p.wallets[p.walletIndex];
    if (existing) return existing;
    const wallet: WalletRun = { walletId, transfers: 0, running: 0, historyEvents: 0, dfnsReads: 0 };
    p.wallets.push(wallet);
    const newest = this.state.checkpoints[walletId]?.newestTransferAt;
    const from = newest ? Date.parse(newest) : Date.now();
    if (!p.request.full) p.stopBefore = new Date(from - this.timings.lookbackMs).toISOString();
    else delete p.stopBefore;
    delete p.newestTransferAt;
    return wallet;
  }

  private async transferStep(p: RunProgress, wallet: WalletRun): Promise<void> {
    const page = await reconciliationReads().reconcileTransferPage({
      walletId: wallet.walletId,
      pageSize: this.timings.pageSize,
      ...(p.pageToken ? { paginationToken: p.pageToken } : {}),
      ...(p.stopBefore ? { stopBefore: p.stopBefore } : {}),
    });
    wallet.dfnsReads += 1;
    wallet.transfers += page.transfers;
    wallet.running += page.match.running;
    p.drafts.push(...page.match.findings);
    mergeLive(p.live, page.match.live);
    if (page.newest && (!p.newestTransferAt || page.newest > p.newestTransferAt)) p.newestTransferAt = page.newest;
    if (!page.done && page.nextPageToken) {
      p.pageToken = page.nextPageToken;
      return;
    }
    const checkpoint = this.state.checkpoints[wallet.walletId] ?? {};
    const newest = [checkpoint.newestTransferAt, p.newestTransferAt]
      .filter((t): t is string => !!t)
      .sort()
      .at(-1);
    if (newest) this.setCheckpoint(wallet.walletId, { ...checkpoint, newestTransferAt: newest });
    this.toBalances(p);
  }

  private toBalances(p: RunProgress): void {
    p.phase = 'balances';
    delete p.pageToken;
    p.balance = { attempt: 1, tally: emptyTally() };
  }

  /**
   * The balance check reads the balances, the history back to the checkpoint's newest event, then the balances again:
   * when both readings agree, nothing moved while the history was read, and the history explains the balances or
   * the difference is a drift. When they differ the reading starts again (from the second reading), a few times.
   */
  private async balanceStep(p: RunProgress, wallet: WalletRun): Promise<void> {
    const reads = reconciliationReads();
    const b = p.balance ?? { attempt: 1, tally: emptyTally() };
    p.balance = b;
    const checkpoint = this.state.checkpoints[wallet.walletId] ?? {};
    if (!b.before) {
      b.before = await reads.readReconciliationBalances({ walletId: wallet.walletId });
      wallet.dfnsReads += 1;
      return;
    }
    if (b.pageToken !== 'done') {
      const page = await reads.readHistoryPage({
        walletId: wallet.walletId,
        pageSize: this.timings.pageSize,
        tally: b.tally,
        ...(b.pageToken ? { paginationToken: b.pageToken } : {}),
        ...(checkpoint.historyHead ? { stopAt: checkpoint.historyHead } : {}),
        // The first reading only needs to know where the history stands.
        ...(checkpoint.balances ? {} : { headOnly: true }),
      });
      wallet.dfnsReads += 1;
      if (b.pageToken === undefined && page.head) b.head = page.head;
      b.tally = page.tally;
      b.pageToken = page.done || !page.nextPageToken ? 'done' : page.nextPageToken;
      return;
    }
    const after = await reads.readReconciliationBalances({ walletId: wallet.walletId });
    wallet.dfnsReads += 1;
    if (!sameBalances(b.before, after)) {
      if (b.attempt >= this.timings.balanceAttempts) {
        wallet.balance = 'moving';
        return this.nextWallet(p);
      }
      p.balance = { attempt: b.attempt + 1, before: after, tally: emptyTally() };
      return;
    }
    wallet.historyEvents = b.tally.events;
    if (checkpoint.balances) {
      p.drafts.push(...driftFindings(wallet.walletId, checkpoint.balances, b.tally, after, `run-${p.run}`));
      wallet.balance = 'checked';
    } else wallet.balance = 'baseline';
    const head = b.head ?? checkpoint.historyHead;
    this.setCheckpoint(wallet.walletId, {
      ...checkpoint,
      takenAt: now(),
      balances: after,
      ...(head ? { historyHead: head } : {}),
    });
    this.nextWallet(p);
  }

  private nextWallet(p: RunProgress): void {
    p.walletIndex += 1;
    p.phase = 'transfers';
    delete p.pageToken;
    delete p.balance;
  }

  private setCheckpoint(walletId: string, checkpoint: ReconciliationState['checkpoints'][string]): void {
    this.state = { ...this.state, checkpoints: { ...this.state.checkpoints, [walletId]: checkpoint } };
  }

  private finishRun(p: RunProgress): void {
    const drafts = [...p.drafts, ...duplicateFindings(p.live)];
    const finishedAt = now();
    const { book, added } = addFindings(this.state.book, drafts, p.run, finishedAt);
    const summary = {
      run: p.run,
      trigger: p.request.trigger,
      ...(p.request.requestedBy ? { requestedBy: p.request.requestedBy } : {}),
      startedAt: p.startedAt,
      finishedAt,
      wallets: p.wallets,
      newFindings: added.length,
    };
    const runs = [...this.state.runs, summary].slice(-this.timings.runsKept);
    this.state = { ...this.state, book, runs, runCount: p.run };
    this.progress = undefined;
    countRun(added, p.wallets);
    this.refresh();
  }

  /** Keeps the derived fields current and publishes them. */
  private refresh(): void {
    const p = this.progress;
    const { running: _running, ...rest } = this.state;
    this.state = {
      ...rest,
      queued: this.pending.length,
      ...(p ? { running: { run: p.run, startedAt: p.startedAt } } : {}),
    };
    this.publish();
  }

  /** The search attributes (open findings, their kinds, the wallets) and the Web UI details, when they change. */
  publish(): void {
    const counts = openCounts(this.state.book);
    const kinds = FINDING_KINDS.filter((kind) => counts[kind] > 0);
    const open = kinds.reduce((sum, kind) => sum + counts[kind], 0);
    const attributes = JSON.stringify([kinds, open, this.state.wallets]);
    if (attributes !== this.publishedAttributes) {
      // Each upsert is an action: only when what operators filter on changed.
      this.publishedAttributes = attributes;
      upsertSearchAttributes([
        { key: ReconciliationOpenFindingsKey, value: open },
        { key: ReconciliationFindingKindsKey, value: kinds },
        { key: ReconciliationWalletsKey, value: [...this.state.wallets] },
      ]);
    }
    const shown = details(this.state, counts, open);
    if (shown === this.publishedDetails) return;
    this.publishedDetails = shown;
    setCurrentDetails(shown);
  }
}

/** The reconciliation's current details in the Temporal UI. */
function details(state: ReconciliationState, counts: Record<string, number>, open: number): string {
  const last = state.runs.at(-1);
  const lines = [
    `**${open} open finding(s)** — ${state.wallets.length} wallet(s): ${state.wallets.map((w) => `\`${w}\``).join(', ')}`,
    '',
    ...FINDING_KINDS.filter((kind) => (counts[kind] ?? 0) > 0).map((kind) => `- ${kind}: ${counts[kind]}`),
    last ? `- last run ${last.run} (${last.trigger}) finished ${last.finishedAt}` : '- no run yet',
  ];
  if (state.running) lines.push(`- run ${state.running.run} in progress since ${state.running.startedAt}`);
  lines.push('- read it with `payments reconcile` or GET /v1/reconciliations/{id}');
  return lines.join('\n');
}

/** Findings by kind and runs by outcome, from the workflow (the SDK drops metrics on replay: counted once). */
function countRun(added: readonly Finding[], wallets: readonly WalletRun[]): void {
  const findings = metricMeter.createCounter(WorkerMetric.reconciliationFindings, undefined, 'reconciliation findings');
  for (const finding of added) findings.add(1, { kind: finding.kind });
  const outcome = wallets.some((wallet) => wallet.error) ? 'failed' : 'ok';
  metricMeter.createCounter(WorkerMetric.reconciliationRuns, undefined, 'reconciliation runs').add(1, { outcome });
}

/** Whether this run's history has used its event budget (or Temporal suggests a new run). */
export function historyBudgetUsed(rec: Reconciliation): boolean {
  const info = workflowInfo();
  return info.historyLength >= rec.timings.historyEventBudget || info.continueAsNewSuggested;
}
