import { z } from 'zod';
import { badRequest, notFound } from '../http/errors';
import { newId } from '../state/ids';
import { paginate, PageQuerySchema } from '../http/pagination';
import type { Policy, PolicyBody } from './policy-schema';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';

/** `ListPoliciesQuery`. */
export const ListPoliciesQuerySchema = PageQuerySchema.extend({ status: z.enum(['Active', 'Archived']).optional() });

/**
 * `/v2/policies` CRUD, as @dfns/sdk's `policies` client calls it. Every change applies at once with 200: the sandbox
 * has no `Policies:Modify` policies, so no 202 change request is ever needed.
 */
export function createPolicyService(deps: { store: StateStore; time: TimeControl }) {
  const { store } = deps;
  const { state } = store;
  const iso = () => new Date(deps.time.now()).toISOString();

  const get = (policyId: string): Policy => {
    const policy = state.policies.find((candidate) => candidate.id === policyId);
    if (!policy) throw notFound('Policy not found', { policyId });
    return policy;
  };

  return {
    get,
    create(body: PolicyBody): Policy {
      const policy: Policy = { id: newId('plc'), status: 'Active', dateCreated: iso(), dateUpdated: iso(), ...body };
      state.policies.push(policy);
      store.changed();
      return policy;
    },
    list(query: z.infer<typeof ListPoliciesQuerySchema>) {
      const items = [...state.policies]
        .reverse()
        .filter((p) => query.status === undefined || p.status === query.status);
      return paginate(items, query, (policy) => policy.id);
    },
    /** Replaces the whole definition; pending approvals keep the groups they were opened with. */
    update(policyId: string, body: PolicyBody): Policy {
      const policy = get(policyId);
      if (policy.status === 'Archived') throw badRequest('An archived policy cannot be updated', { policyId });
      const { filters: _old, ...kept } = policy;
      const updated: Policy = { ...kept, ...body, dateUpdated: iso() };
      state.policies.splice(state.policies.indexOf(policy), 1, updated);
      store.changed();
      return updated;
    },
    /** Archives (idempotently): an archived policy is never evaluated again. */
    archive(policyId: string): Policy {
      const policy = get(policyId);
      if (policy.status !== 'Archived') Object.assign(policy, { status: 'Archived', dateUpdated: iso() });
      store.changed();
      return policy;
    },
  };
}

/** The policy store. */
export type PolicyService = ReturnType<typeof createPolicyService>;
