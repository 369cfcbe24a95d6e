import { Hono } from 'hono';
import type { SandboxEnv } from '../http/app-env';
import { DecisionBodySchema, ListApprovalsQuerySchema, type ApprovalService } from '../approvals/approval-service';
import { PolicyBodySchema } from './policy-schema';
import { ListPoliciesQuerySchema, type PolicyService } from './policy-service';
import { parseOrThrow, readJsonBody } from '../http/validation';

/** `/v2/policies` and `/v2/policy-approvals`, as @dfns/sdk's `policies` client calls them. */
export function createPolicyRoutes(deps: { policies: PolicyService; approvals: ApprovalService }) {
  const routes = new Hono<SandboxEnv>();
  const { policies, approvals } = deps;

  routes.post('/v2/policies', async (c) => {
    return c.json(policies.create(parseOrThrow(PolicyBodySchema, await readJsonBody(c), 'policy')));
  });
  routes.get('/v2/policies', (c) =>
    c.json(policies.list(parseOrThrow(ListPoliciesQuerySchema, c.req.query(), 'query'))),
  );
  routes.get('/v2/policies/:policyId', (c) => c.json(policies.get(c.req.param('policyId'))));
  routes.put('/v2/policies/:policyId', async (c) => {
    const body = parseOrThrow(PolicyBodySchema, await readJsonBody(c), 'policy');
    return c.json(policies.update(c.req.param('policyId'), body));
  });
  routes.delete('/v2/policies/:policyId', (c) => c.json(policies.archive(c.req.param('policyId'))));

  routes.get('/v2/policy-approvals', (c) =>
    c.json(approvals.list(parseOrThrow(ListApprovalsQuerySchema, c.req.query(), 'query'))),
  );
  routes.get('/v2/policy-approvals/:approvalId', (c) => c.json(approvals.get(c.req.param('approvalId'))));
  routes.post('/v2/policy-approvals/:approvalId/decisions', async (c) => {
    const body = parseOrThrow(DecisionBodySchema, await readJsonBody(c), 'approval decision');
    return c.json(approvals.decide(c.req.param('approvalId'), c.get('auth').userId, body));
  });

  return routes;
}
