import type { DfnsApiClient } from '@dfns/sdk';
import { approvalSchema, type Approval } from './approval-row';

/** The approval calls the tools make, so tests can stand in for the SDK. */
export type ApprovalsApi = Pick<DfnsApiClient['policies'], 'listApprovals' | 'getApproval' | 'createApprovalDecision' | 'getPolicy'>;

const PAGE_SIZE = '100';
// A misbehaving server that always returns a next page must not loop forever.
const MAX_PAGES = 1000;

/** Parses an approval Dfns returned, naming the approval when it cannot be read. */
export function parseApproval(item: unknown): Approval {
  const parsed = approvalSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = (item as { id?: unknown } | null)?.id;
  const issue = parsed.error.issues[0];
  throw new Error(`Dfns returned an approval ${typeof id === 'string' ? `${id} ` : ''}this tool cannot read: ${issue?.path.join('.')} ${issue?.message}`);
}

/** Every pending approval the caller can see, following nextPageToken. */
export async function listPendingApprovals(api: Pick<ApprovalsApi, 'listApprovals'>): Promise<Approval[]> {
  const approvals: Approval[] = [];
  let paginationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await api.listApprovals({ query: { status: 'Pending', limit: PAGE_SIZE, ...(paginationToken ? { paginationToken } : {}) } });
    approvals.push(...response.items.map(parseApproval));
    paginationToken = response.nextPageToken;
    if (!paginationToken) return approvals;
  }
  throw new Error(`listApprovals returned more than ${MAX_PAGES} pages`);
}

/** Names of the triggered policies, best effort: a caller without Policies:Read still gets the ids and reasons. */
export async function policyNamesFor(api: Pick<ApprovalsApi, 'getPolicy'>, approvals: Approval[]): Promise<Map<string, string>> {
  const ids = new Set(approvals.flatMap((approval) => approval.policyEvaluations.filter((e) => e.triggered).map((e) => e.policyId)));
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
