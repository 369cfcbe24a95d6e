import type { DfnsApiClient } from '@dfns/sdk';
import { fieldErrorLine, toFieldErrors } from '../contracts/field-errors';
import { listAll, type DfnsPageQuery } from '../dfns/list-all';
import { dfnsPolicySchema, type DfnsPolicy } from '../dfns/policy-schema';

/** The policy calls plan and apply make, so tests can stand in for the SDK. */
export type PoliciesApi = Pick<
  DfnsApiClient['policies'],
  'listPolicies' | 'createPolicy' | 'updatePolicy' | 'archivePolicy'
>;

function parsePolicy(item: unknown): DfnsPolicy {
  const parsed = dfnsPolicySchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const what = fieldErrorLine(toFieldErrors(parsed.error, { root: '(policy)' }));
  throw new Error(`Dfns listed a policy this tool cannot read: ${what}`);
}

/** Every active policy of the org, across all pages. */
export function listActivePolicies(api: Pick<PoliciesApi, 'listPolicies'>): Promise<DfnsPolicy[]> {
  const fetchPage = (page: DfnsPageQuery) => api.listPolicies({ query: { status: 'Active', ...page } });
  return listAll('listPolicies', fetchPage, parsePolicy);
}
