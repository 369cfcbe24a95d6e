import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Balances, HistoryHead, HistoryTally } from './balance-drift';
import type { LiveTransfers } from './reconcile-transfers';
import type { FindingBook, FindingDraft, Finding } from './reconciliation-findings';

/** What a reconciliation covers: one wallet, or the wallets of a pool (as its pools file lists them now). */
export type ReconciliationScope = { kind: 'wallet'; walletId: string } | { kind: 'pool'; pool: string };

const PREFIX = 'reconciliation:';

/** The reconciliation's workflow id (one long-lived workflow per scope), from the scope alone. */
export function reconciliationIdFor(scope: ReconciliationScope): string {
  return scope.kind === 'wallet' ? `${PREFIX}wallet:${scope.walletId}` : `${PREFIX}pool:${scope.pool}`;
}

/** The scope a reconciliation id names, or undefined when it names none. */
export function parseReconciliationId(id: string): ReconciliationScope | undefined {
  const match = /^reconciliation:(wallet|pool):([A-Za-z0-9-]+)$/.exec(id);
  if (!match) return undefined;
  const value = match[2] as string;
  return match[1] === 'wallet' ? { kind: 'wallet', walletId: value } : { kind: 'pool', pool: value };
}

/** The id of the Temporal Schedule that triggers a reconciliation. */
export const reconciliationScheduleId = (reconciliationId: string): string => `${reconciliationId}:schedule`;

/** How far back and how a reconciliation reads. Durations in milliseconds. */
export interface ReconciliationTimings {
  /**
   * Transfers asked for this long before the newest one the last run saw are read again, so a settled transfer whose
   * outcome Dfns later changed (a reorg, a replacement, a manual fix) is compared again. Keep it shorter than the
   * namespace's retention: a payment deleted by retention would make its transfers look unmatched.
   */
  lookbackMs: number;
  /** Items per Dfns list request. */
  pageSize: number;
  /** Balance and history readings tried before a run gives up on a wallet whose balance keeps moving. */
  balanceAttempts: number;
  /** A workflow run continues as new once its history holds this many events. */
  historyEventBudget: number;
  /** Run summaries kept in the state (older ones are dropped; their findings stay). */
  runsKept: number;
}

export const DEFAULT_RECONCILIATION_TIMINGS: ReconciliationTimings = {
  lookbackMs: 7 * 24 * 3_600_000,
  pageSize: 100,
  balanceAttempts: 3,
  historyEventBudget: 2_000,
  runsKept: 30,
};

/** Where a wallet's reconciliation stands: what the next run starts from. */
export interface WalletCheckpoint {
  /** When the balances were read (workflow time). */
  takenAt?: string;
  /** Dfns's balances per asset when the checkpoint was taken; absent until a reading held still. */
  balances?: Balances;
  /** The newest history event counted into those balances. */
  historyHead?: HistoryHead;
  /** The newest transfer (requestedAt) seen; the next run reads back from it by the look-back. */
  newestTransferAt?: string;
}

/** How a run ended its balance check for one wallet. */
export type BalanceCheck =
  /** Checked against the checkpoint. */
  | 'checked'
  /** The first reading: it becomes the checkpoint, nothing to compare yet. */
  | 'baseline'
  /** The balance changed while the history was read, every attempt: checked by a later run. */
  | 'moving'
  | 'failed';

/** One wallet's part of a run. */
export interface WalletRun {
  walletId: string;
  transfers: number;
  /** Transfers of payments still running, left for a later run. */
  running: number;
  historyEvents: number;
  balance?: BalanceCheck;
  /** Dfns read requests the run made for this wallet (retries not counted). */
  dfnsReads: number;
  error?: string;
}

/** Why a run happened. */
export interface RunRequest {
  trigger: 'schedule' | 'operator';
  /** The operator who asked (operator runs). */
  requestedBy?: string;
  /** Read every transfer the wallet has, not only those since the checkpoint (minus the look-back). */
  full?: boolean;
}

/** What one run did. */
export interface RunSummary {
  run: number;
  trigger: RunRequest['trigger'];
  requestedBy?: string;
  startedAt: string;
  finishedAt: string;
  wallets: WalletRun[];
  /** Findings this run added. */
  newFindings: number;
}

/** Everything a reconciliation knows; what its view Update returns. */
export interface ReconciliationState {
  reconciliationId: string;
  scope: ReconciliationScope;
  /** The wallets it covers now. */
  wallets: string[];
  checkpoints: Record<string, WalletCheckpoint>;
  book: FindingBook;
  runs: RunSummary[];
  /** Runs finished so far; the next run is this plus one. */
  runCount: number;
  /** The run in progress, if any. */
  running?: { run: number; startedAt: string };
  /** Runs asked for and not started yet. */
  queued: number;
}

/** A run in progress, carried across a continue-as-new so a long run keeps its place. */
export interface RunProgress {
  run: number;
  request: RunRequest;
  startedAt: string;
  walletIndex: number;
  phase: 'transfers' | 'balances';
  pageToken?: string;
  /** Transfers asked for before this are not read (the look-back's edge); absent for a full read. */
  stopBefore?: string;
  newestTransferAt?: string;
  live: Record<string, LiveTransfers>;
  drafts: FindingDraft[];
  wallets: WalletRun[];
  balance?: { attempt: number; before?: Balances; tally: HistoryTally; head?: HistoryHead; pageToken?: string };
}

/** What a reconciliation's workflow starts with. */
export interface ReconciliationInput {
  reconciliationId: string;
  scope: ReconciliationScope;
  wallets: string[];
  timings?: Partial<ReconciliationTimings>;
  /** Present when this run continues an earlier one. */
  carried?: { state: ReconciliationState; pending: RunRequest[]; progress?: RunProgress };
}

/** What an operator's acknowledgement records. */
export interface AcknowledgeRequest {
  findingId: string;
  operator: string;
  reason: string;
}

/** A run asked for by an operator: the run's number, to wait for it. */
export interface RunTicket {
  run: number;
}

/** What a Schedule's tick names: the reconciliation to run. */
export interface ReconciliationTick {
  scope: ReconciliationScope;
}

/** What a Schedule's tick tells the reconciliation: the wallets its scope covers now, and the configured look-back. */
export interface ScheduledRun {
  wallets: string[];
  lookbackMs?: number;
}

/** A scheduled run (from the Schedule's tick; a tick while one is queued adds nothing). */
export const scheduledRunSignal = defineSignal<[ScheduledRun]>('scheduledRun');
/** An operator asks for a run now; answers with its number. */
export const requestRunUpdate = defineUpdate<RunTicket, [RunRequest]>('requestRun');
/** Waits until run `run` has finished (or the workflow hands over to a new run: ask again). */
export const waitForRunUpdate = defineUpdate<ReconciliationState, [RunTicket]>('waitForRun');
/** The reconciliation's state, read through an Update: it rides a workflow task and schedules no command. */
export const reconciliationViewUpdate = defineUpdate<ReconciliationState, []>('view');
/** An operator acknowledges a finding, saying who and why (validated: the finding must exist and be open). */
export const acknowledgeFindingUpdate = defineUpdate<Finding, [AcknowledgeRequest]>('acknowledgeFinding');
/** The state, for a closed reconciliation only (a running one is read through the view Update). */
export const reconciliationStateQuery = defineQuery<ReconciliationState>('reconciliationState');

/** Limits on what an acknowledgement records. */
export const ACKNOWLEDGE_LIMITS = { operator: 100, reason: 500 } as const;

/** Why an acknowledgement request is malformed (field: problem), or an empty list. Pure: validators use it. */
export function acknowledgeRequestProblems(request: unknown): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const text = (field: keyof AcknowledgeRequest, max: number) => {
    const value = r[field];
    if (typeof value !== 'string' || value.trim() === '') problems.push({ field, message: 'is required' });
    else if (value.length > max) problems.push({ field, message: `must be at most ${max} characters` });
  };
  text('findingId', 300);
  text('operator', ACKNOWLEDGE_LIMITS.operator);
  text('reason', ACKNOWLEDGE_LIMITS.reason);
  return problems;
}
