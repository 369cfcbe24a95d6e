import type { DfnsPolicy, DfnsPolicyBody } from '../dfns/policy-schema';
import { setPrefix, type DesiredPolicySet } from './desired-policy-set';
import { diffDefinitions, type FieldChange } from './policy-diff';

/** One step of a plan; `op` says what apply will do (pending and unchanged: nothing). */
export type PolicyPlanItem =
  | { op: 'create'; name: string; body: DfnsPolicyBody }
  | { op: 'update'; name: string; policyId: string; body: DfnsPolicyBody; changes: FieldChange[] }
  | { op: 'unchanged'; name: string; policyId: string }
  /** A change to this policy already waits for approval; apply does not stack another one on it. */
  | { op: 'pending'; name: string; policyId: string; approvalId?: string; matchesFile: boolean }
  | { op: 'archive'; name: string; policyId: string; reason: string };

/** The difference between a policy set's file and the org, in file order, archives last. */
export interface PolicyPlan {
  set: string;
  version: number;
  items: PolicyPlanItem[];
}

/** The part of a policy the plan compares: everything but the name it is matched by and the server's fields. */
function definition(policy: { activityKind?: unknown; rule?: unknown; action?: unknown; filters?: unknown }): unknown {
  return { activityKind: policy.activityKind, rule: policy.rule, action: policy.action, filters: policy.filters };
}

const oldestFirst = (a: DfnsPolicy, b: DfnsPolicy): number =>
  (a.dateCreated ?? '').localeCompare(b.dateCreated ?? '') || a.id.localeCompare(b.id);

function planOne(body: DfnsPolicyBody, existing: DfnsPolicy | undefined): PolicyPlanItem {
  if (!existing) return { op: 'create', name: body.name, body };
  const pending = existing.pendingChangeRequest;
  if (pending?.status === 'Pending') {
    const pendingBody = (pending.body ?? {}) as Record<string, unknown>;
    return {
      op: 'pending',
      name: body.name,
      policyId: existing.id,
      ...(pending.approvalId ? { approvalId: pending.approvalId } : {}),
      matchesFile: diffDefinitions(definition(pendingBody), definition(body)).length === 0,
    };
  }
  const changes = diffDefinitions(definition(existing), definition(body));
  if (changes.length === 0) return { op: 'unchanged', name: body.name, policyId: existing.id };
  return { op: 'update', name: body.name, policyId: existing.id, body, changes };
}

/**
 * Compares a set's desired policies with the org's active ones. Org policies are matched by name; those whose
 * name carries the set's prefix but that the file no longer lists, or that duplicate a name, are archived.
 * Pure: no I/O, so plan and apply always agree.
 */
export function computePolicyPlan(desired: DesiredPolicySet, actual: readonly DfnsPolicy[]): PolicyPlan {
  const prefix = setPrefix(desired.set);
  const owned = actual
    .filter((policy) => policy.name.startsWith(prefix) && policy.status !== 'Archived')
    .sort(oldestFirst);
  const byName = new Map<string, DfnsPolicy>();
  const archives: PolicyPlanItem[] = [];
  for (const policy of owned) {
    const first = byName.get(policy.name);
    if (first)
      archives.push({ op: 'archive', name: policy.name, policyId: policy.id, reason: `duplicate of ${first.id}` });
    else byName.set(policy.name, policy);
  }
  const wanted = new Set(desired.policies.map((policy) => policy.name));
  for (const [name, policy] of byName) {
    if (!wanted.has(name)) archives.push({ op: 'archive', name, policyId: policy.id, reason: 'no longer in the file' });
  }
  const items = desired.policies.map((body) => planOne(body, byName.get(body.name)));
  return { set: desired.set, version: desired.version, items: [...items, ...archives] };
}

/** True when applying the plan would call Dfns at all. */
export function planHasChanges(plan: PolicyPlan): boolean {
  return plan.items.some((item) => item.op === 'create' || item.op === 'update' || item.op === 'archive');
}
