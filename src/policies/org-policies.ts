import type { DfnsApiClient } from '@dfns/sdk';
import { orgPolicySchema, type OrgPolicy } from './org-policy';

/** The policy calls plan and apply make, so tests can stand in for the SDK. */
export type PoliciesApi = Pick<DfnsApiClient['policies'], 'listPolicies' | 'createPolicy' | 'updatePolicy' | 'archivePolicy'>;

const PAGE_SIZE = '100';
// A misbehaving server that always returns a next page must not loop forever.
const MAX_PAGES = 1000;

/** Every active policy of the org, following nextPageToken. */
export async function listActivePolicies(api: Pick<PoliciesApi, 'listPolicies'>): Promise<OrgPolicy[]> {
  const policies: OrgPolicy[] = [];
  let paginationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await api.listPolicies({ query: { status: 'Active', limit: PAGE_SIZE, ...(paginationToken ? { paginationToken } : {}) } });
    for (const item of response.items) {
      const parsed = orgPolicySchema.safeParse(item);
      if (!parsed.success) throw new Error(`Dfns listed a policy this tool cannot read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      policies.push(parsed.data);
    }
    paginationToken = response.nextPageToken;
    if (!paginationToken) return policies;
  }
  throw new Error(`listPolicies returned more than ${MAX_PAGES} pages`);
}
