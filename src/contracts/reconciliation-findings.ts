/** The four things a reconciliation reports. */
export const FINDING_KINDS = ['unmatched_transfer', 'outcome_mismatch', 'duplicate_transfer', 'balance_drift'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One field on which the orchestrator and Dfns disagree (a balance drift: the expected and the actual balance). */
export interface FindingDifference {
  field: string;
  orchestrator?: string;
  dfns?: string;
}

/** Who acknowledged a finding, why, and when. */
export interface Acknowledgement {
  by: string;
  reason: string;
  at: string;
}

/** A finding as a run produces it, before it is dated and kept. */
export interface FindingDraft {
  /** Stable across runs: the same fact found again is the same finding, never a second one. */
  id: string;
  kind: FindingKind;
  walletId: string;
  /** One line for people. */
  summary: string;
  paymentId?: string;
  externalId?: string;
  transferIds?: string[];
  asset?: string;
  differences?: FindingDifference[];
}

/** A kept finding: open until an operator acknowledges it, and kept after that. */
export interface Finding extends FindingDraft {
  detectedAt: string;
  /** The run that found it. */
  run: number;
  acknowledged?: Acknowledgement;
}

/** The findings a reconciliation keeps, and how many it no longer lists in full. */
export interface FindingBook {
  findings: Finding[];
  /** Acknowledged findings dropped from the list beyond the cap, oldest first; counted, never forgotten silently. */
  acknowledgedOmitted: number;
  /**
   * Findings the latest run made beyond the open cap, by kind: counted, not listed. They are found again (and listed)
   * by a later run once acknowledgements make room, as long as their transfers are within the look-back.
   */
  openOmitted: Partial<Record<FindingKind, number>>;
}

/** Caps that keep a reconciliation's state (and so its history) bounded whatever a wallet does. */
export const FINDING_LIMITS = { open: 1000, acknowledged: 200 } as const;

export const emptyFindingBook = (): FindingBook => ({ findings: [], acknowledgedOmitted: 0, openOmitted: {} });

/**
 * Adds a run's findings: one already kept (open or acknowledged) is not added again. Beyond the open cap a new
 * finding is counted by kind instead of listed (the count is the run's). Returns the book and the findings it added.
 */
export function addFindings(
  book: FindingBook,
  drafts: readonly FindingDraft[],
  run: number,
  now: string,
): { book: FindingBook; added: Finding[] } {
  const known = new Set(book.findings.map((finding) => finding.id));
  let open = book.findings.filter((finding) => !finding.acknowledged).length;
  const added: Finding[] = [];
  const openOmitted: FindingBook['openOmitted'] = {};
  for (const draft of drafts) {
    if (known.has(draft.id)) continue;
    known.add(draft.id);
    if (open >= FINDING_LIMITS.open) {
      openOmitted[draft.kind] = (openOmitted[draft.kind] ?? 0) + 1;
      continue;
    }
    open += 1;
    added.push({ ...draft, detectedAt: now, run });
  }
  return { book: { ...book, findings: [...book.findings, ...added], openOmitted }, added };
}

/** Why an acknowledgement cannot be recorded, or undefined when it can. */
export function acknowledgeProblem(book: FindingBook, findingId: string): string | undefined {
  const finding = book.findings.find((candidate) => candidate.id === findingId);
  if (!finding) return `no finding ${findingId}`;
  if (finding.acknowledged) return `finding ${findingId} was already acknowledged by ${finding.acknowledged.by}`;
  return undefined;
}

/**
 * Records an operator's acknowledgement. The finding stays listed; once more acknowledged findings are kept than the
 * cap, the oldest acknowledged ones leave the list and are counted.
 */
export function acknowledge(book: FindingBook, findingId: string, ack: Acknowledgement): FindingBook {
  const findings = book.findings.map((finding) =>
    finding.id === findingId ? { ...finding, acknowledged: ack } : finding,
  );
  const acknowledged = findings.filter((finding) => finding.acknowledged);
  const excess = acknowledged.length - FINDING_LIMITS.acknowledged;
  if (excess <= 0) return { ...book, findings };
  const dropped = new Set(acknowledged.slice(0, excess).map((finding) => finding.id));
  return {
    ...book,
    findings: findings.filter((finding) => !dropped.has(finding.id)),
    acknowledgedOmitted: book.acknowledgedOmitted + excess,
  };
}

/** Open findings by kind, the omitted ones included. */
export function openCounts(book: FindingBook): Record<FindingKind, number> {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, book.openOmitted[kind] ?? 0])) as Record<
    FindingKind,
    number
  >;
  for (const finding of book.findings) if (!finding.acknowledged) counts[finding.kind] += 1;
  return counts;
}
