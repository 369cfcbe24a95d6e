import { PolicyPendingError } from '@dfns/sdk';
import { dfnsErrorLine } from '../dfns/dfns-error';
import type { PoliciesApi } from './org-policies';
import type { PolicyPlan, PolicyPlanItem } from './policy-plan';

/** What happened to one plan item. */
export interface ApplyResult {
  item: PolicyPlanItem;
  outcome: 'created' | 'updated' | 'archived' | 'pending' | 'skipped' | 'failed';
  /** The new policy id, the approval id a change waits for, or why it failed. */
  detail?: string;
}

function pendingDetail(error: PolicyPendingError): string {
  const request = (error.context ?? {}) as { approvalId?: unknown; id?: unknown };
  const id = typeof request.approvalId === 'string' ? request.approvalId : undefined;
  return id
    ? `pending approval ${id}`
    : `pending approval (change request ${typeof request.id === 'string' ? request.id : 'without id'})`;
}

async function applyOne(item: PolicyPlanItem, api: PoliciesApi): Promise<ApplyResult> {
  try {
    if (item.op === 'create')
      return { item, outcome: 'created', detail: (await api.createPolicy({ body: item.body })).id };
    if (item.op === 'update') {
      await api.updatePolicy({ policyId: item.policyId, body: item.body });
      return { item, outcome: 'updated', detail: item.policyId };
    }
    if (item.op === 'archive') {
      await api.archivePolicy({ policyId: item.policyId });
      return { item, outcome: 'archived', detail: item.policyId };
    }
    return { item, outcome: 'skipped' };
  } catch (error) {
    // HTTP 202: a Policies:Modify policy holds the change for approval. That is not a failure.
    if (error instanceof PolicyPendingError) return { item, outcome: 'pending', detail: pendingDetail(error) };
    return { item, outcome: 'failed', detail: dfnsErrorLine(error) };
  }
}

/**
 * Applies a plan in order: updates and creates before archives, so coverage never drops in between.
 * A failed item does not stop the others; running apply again converges.
 */
export async function applyPolicyPlan(plan: PolicyPlan, api: PoliciesApi): Promise<ApplyResult[]> {
  const rank = (item: PolicyPlanItem) => (item.op === 'archive' ? 1 : 0);
  const ordered = [...plan.items].sort((a, b) => rank(a) - rank(b));
  const results: ApplyResult[] = [];
  for (const item of ordered) results.push(await applyOne(item, api));
  return results;
}
