import { stringify } from 'csv-stringify/sync';
import type { Finding } from '../contracts/reconciliation-findings';

/** The CSV columns of a reconciliation's findings, in order; the same names as the JSON fields. */
export const FINDING_COLUMNS = [
  'id',
  'kind',
  'status',
  'walletId',
  'detectedAt',
  'run',
  'paymentId',
  'transferIds',
  'externalId',
  'asset',
  'differences',
  'summary',
  'acknowledgedBy',
  'acknowledgedAt',
  'acknowledgedReason',
] as const;

/** One finding as CSV cells: differences as `field: orchestrator → dfns` joined by "; ". */
function cells(finding: Finding): string[] {
  const values: Record<(typeof FINDING_COLUMNS)[number], string> = {
    id: finding.id,
    kind: finding.kind,
    status: finding.acknowledged ? 'acknowledged' : 'open',
    walletId: finding.walletId,
    detectedAt: finding.detectedAt,
    run: String(finding.run),
    paymentId: finding.paymentId ?? '',
    transferIds: (finding.transferIds ?? []).join(' '),
    externalId: finding.externalId ?? '',
    asset: finding.asset ?? '',
    differences: (finding.differences ?? [])
      .map((d) => `${d.field}: ${d.orchestrator ?? '(none)'} → ${d.dfns ?? '(none)'}`)
      .join('; '),
    summary: finding.summary,
    acknowledgedBy: finding.acknowledged?.by ?? '',
    acknowledgedAt: finding.acknowledged?.at ?? '',
    acknowledgedReason: finding.acknowledged?.reason ?? '',
  };
  return FINDING_COLUMNS.map((column) => values[column]);
}

/** A reconciliation's findings as CSV (RFC 4180, a header line), in the order they were found. */
export function findingsCsv(findings: readonly Finding[]): string {
  return stringify(findings.map(cells), { header: true, columns: [...FINDING_COLUMNS] });
}
