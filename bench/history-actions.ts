// The benchmark's view of billable Temporal actions: the product's own counter (src/observability/history-actions.ts,
// the rules of https://docs.temporal.io/cloud/actions) over one history, plus its event count, and means over many.
import type { History } from '@temporalio/common/lib/proto-utils';
import {
  countHistoryActions,
  countVersioningEvents,
  type HistoryActions,
  type VersioningEvents,
} from '../src/observability/history-actions';

/** Actions by kind and their sum, with every event of the history, billable or not, and those patching wrote. */
export type ActionCount = HistoryActions & VersioningEvents & { events: number };

/** The actions and events of one history. */
export function countActions(history: History): ActionCount {
  const events = history.events ?? [];
  return { ...countHistoryActions(events), ...countVersioningEvents(events), events: events.length };
}

/** The mean of each field over several histories' counts (NaN fields when there are none). */
export function meanActions(counts: readonly ActionCount[]): ActionCount {
  const keys = Object.keys(countActions({ events: [] })) as (keyof ActionCount)[];
  return Object.fromEntries(
    keys.map((key) => [key, counts.reduce((sum, c) => sum + c[key], 0) / counts.length]),
  ) as unknown as ActionCount;
}
