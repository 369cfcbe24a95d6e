import type { TimelineEntry } from './payment-state';

/** What was dropped from a bounded timeline: how many entries, of which events, and over which period. */
export interface TimelineSummary {
  /** Entries no longer kept in full. */
  omitted: number;
  /** How many omitted entries each event name had, e.g. { "getApproval failed": 12, "poll": 300 }. */
  events: Record<string, number>;
  /** Workflow time of the oldest and newest omitted entry. */
  from: string;
  to: string;
}

/**
 * Entries that explain the outcome and are never summarised: every applied entry (status moves, escalation steps,
 * deadlines, decisions) and every operator action. They are few per attempt, so keeping them all keeps the
 * timeline bounded; what is summarised is routine (polls that saw nothing new, failed reads, ignored duplicates).
 */
export function isMilestone(entry: TimelineEntry): boolean {
  return entry.applied || entry.source === 'operator';
}

/**
 * Keeps the newest `limit` entries and every milestone in full; the older routine entries (polls, failed reads,
 * ignored duplicates) become counts in the summary. Returns the inputs unchanged while within the limit.
 */
export function boundTimeline(
  timeline: TimelineEntry[],
  summary: TimelineSummary | undefined,
  limit: number,
): { timeline: TimelineEntry[]; summary: TimelineSummary | undefined } {
  if (timeline.length <= limit) return { timeline, summary };
  const recent = timeline.length - limit;
  const kept: TimelineEntry[] = [];
  const next: TimelineSummary = summary
    ? { ...summary, events: { ...summary.events } }
    : { omitted: 0, events: {}, from: timeline[0]?.at ?? '', to: '' };
  timeline.forEach((entry, index) => {
    if (index >= recent || isMilestone(entry)) {
      kept.push(entry);
      return;
    }
    next.omitted += 1;
    next.events[entry.event] = (next.events[entry.event] ?? 0) + 1;
    if (next.omitted === 1) next.from = entry.at;
    next.to = entry.at;
  });
  return kept.length === timeline.length ? { timeline, summary } : { timeline: kept, summary: next };
}
