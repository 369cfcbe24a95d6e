import type { DfnsApiClient } from '@dfns/sdk';
import { fieldErrorLine, toFieldErrors } from '../contracts/field-errors';
import { dfnsApprovalForReviewSchema } from '../dfns/approval-review-schema';
import { listAll, type DfnsPageQuery } from '../dfns/list-all';
import type { Approval } from './approval-row';

/** The approval calls the tools make, so tests can stand in for the SDK. */
export type ApprovalsApi = Pick<
  DfnsApiClient['policies'],
  'listApprovals' | 'getApproval' | 'createApprovalDecision' | 'getPolicy'
>;

/** Parses an approval Dfns returned, naming the approval when it cannot be read. */
export function parseApproval(item: unknown): Approval {
  const parsed = dfnsApprovalForReviewSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = (item as { id?: unknown } | null)?.id;
  const which = typeof id === 'string' ? `${id} ` : '';
  const what = fieldErrorLine(toFieldErrors(parsed.error, { root: '(approval)' }));
  throw new Error(`Dfns returned an approval ${which}this tool cannot read: ${what}`);
}

/** Every pending approval the caller can see, across all pages. */
export function listPendingApprovals(api: Pick<ApprovalsApi, 'listApprovals'>): Promise<Approval[]> {
  const fetchPage = (page: DfnsPageQuery) => api.listApprovals({ query: { status: 'Pending', ...page } });
  return listAll('listApprovals', fetchPage, parseApproval);
}

/** Names of the triggered policies, best effort: a caller without Policies:Read still gets the ids and reasons. */
export async function policyNamesFor(
  api: Pick<ApprovalsApi, 'getPolicy'>,
  approvals: Approval[],
): Promise<Map<string, string>> {
  const ids = new Set(
    approvals.flatMap((approval) => approval.policyEvaluations.filter((e) => e.triggered).map((e) => e.policyId)),
  );
  const names = new Map<string, string>();
  for (const policyId of ids) {
    try {
      names.set(policyId, (await api.getPolicy({ policyId })).name);
    } catch {
      // Names are a convenience; the reason text already says what triggered.
    }
  }
  return names;
}
