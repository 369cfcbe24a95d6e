import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { PoolDefinition } from '../../contracts/pool-definition';
import { parseReconciliationId, type ReconciliationScope } from '../../contracts/reconciliation-messages';
import { findingsCsv } from '../../reconciliation/findings-csv';
import { reconciliationFor, viewOf } from '../../reconciliation/reconciliation-view';
import type { ReconciliationService } from '../../reconciliation/temporal-reconciliations';
import { ApiError } from '../../bridge/http-error';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { problemResponse } from '../problem';
import { findingSchema, reconciliationListSchema, reconciliationViewSchema } from '../reconciliation-view';
import { authProblems } from './route-responses';

/** What the reconciliation routes need: the service, the pools file, and the wallets each client may see. */
export interface ReconciliationRouteDeps {
  reconciliations: ReconciliationService;
  pools: readonly PoolDefinition[];
  /** The wallets a client's payments may use (its bindings, its pools' wallets); it sees their reconciliations. */
  walletsOf: (clientId: string) => ReadonlySet<string>;
}

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'reconciliation:wallet:wa-5pfuu-9euek-h0odgb6snva8ph3k' }),
});

const notFound = { 404: problemResponse('No such reconciliation for this client') } as const;
const missing = () => new ApiError(404, 'reconciliation_not_found', 'no such reconciliation');
/** How long a run asked for through the API is waited for before the API answers 202 (it goes on). */
const RUN_WAIT_MS = 20_000;

const listRoute = createRoute({
  method: 'get',
  path: '/v1/reconciliations',
  operationId: 'listReconciliations',
  summary: "The reconciliations of the caller's wallets, with their open findings",
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('reconciliations:read')] as const,
  responses: {
    200: { description: 'Reconciliations', content: { 'application/json': { schema: reconciliationListSchema } } },
    ...authProblems,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/reconciliations/{id}',
  operationId: 'getReconciliation',
  summary: 'A reconciliation: checkpoints, findings (open and acknowledged) and runs; the findings as CSV with Accept',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('reconciliations:read')] as const,
  request: { params: idParam },
  responses: {
    200: {
      description: 'The reconciliation (JSON), or its findings (text/csv)',
      content: { 'application/json': { schema: reconciliationViewSchema }, 'text/csv': { schema: z.string() } },
    },
    ...notFound,
    ...authProblems,
  },
});

const runRoute = createRoute({
  method: 'post',
  path: '/v1/reconciliations/{id}/runs',
  operationId: 'runReconciliation',
  summary: 'Run a reconciliation now (it is created if it does not exist yet)',
  description:
    'Answers 200 with the reconciliation once the run has finished, or 202 when it is still running after 20 s ' +
    '(read it again later). `full=true` reads every transfer of the wallets, not only those since the checkpoint.',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('reconciliations:operate')] as const,
  request: { params: idParam, query: z.object({ full: z.enum(['true', 'false']).optional() }).strict() },
  responses: {
    200: { description: 'The run finished', content: { 'application/json': { schema: reconciliationViewSchema } } },
    202: { description: 'The run goes on', content: { 'application/json': { schema: reconciliationViewSchema } } },
    400: problemResponse('A bad `full`'),
    ...notFound,
    ...authProblems,
  },
});

const acknowledgeRoute = createRoute({
  method: 'post',
  path: '/v1/reconciliations/{id}/acknowledgements',
  operationId: 'acknowledgeFinding',
  summary: 'Acknowledge a finding: the caller and the reason are recorded, and the finding stays listed',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('reconciliations:operate')] as const,
  request: {
    params: idParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ findingId: z.string().min(1).max(300), reason: z.string().trim().min(1).max(500) })
            .strict()
            .openapi('AcknowledgeFindingRequest'),
        },
      },
    },
  },
  responses: {
    200: { description: 'Acknowledged', content: { 'application/json': { schema: findingSchema } } },
    400: problemResponse('Invalid body; `errors` names each bad field'),
    404: problemResponse('No such reconciliation, or no such finding, for this client'),
    409: problemResponse('The finding was already acknowledged'),
    ...authProblems,
    413: problemResponse('Body too large'),
    415: problemResponse('Body is not application/json'),
  },
});

/**
 * `/v1/reconciliations`: read (`reconciliations:read`), run and acknowledge (`reconciliations:operate`, an operator's
 * scope that no key gets unless minted with it). A client sees a reconciliation only when every wallet it covers is
 * one of its own, and of its findings only those about its wallets or its own payments; anything else is 404.
 */
export function registerReconciliations(app: OpenAPIHono<ApiEnv>, deps: ReconciliationRouteDeps): void {
  const walletsOfScope = (scope: ReconciliationScope): string[] =>
    scope.kind === 'wallet'
      ? [scope.walletId]
      : [...(deps.pools.find((pool) => pool.name === scope.pool)?.wallets ?? [])];
  const visible = (wallets: readonly string[], clientId: string): boolean => {
    const own = deps.walletsOf(clientId);
    return wallets.length > 0 && wallets.every((wallet) => own.has(wallet));
  };
  /** The scope an id names, when the caller may see it; checked from the id alone, before Temporal is asked. */
  const scopeFor = (id: string, clientId: string): ReconciliationScope => {
    const scope = parseReconciliationId(id);
    if (!scope || !visible(walletsOfScope(scope), clientId)) throw missing();
    return scope;
  };

  app.openapi(listRoute, async (c) => {
    const clientId = c.get('principal').clientId;
    const items = (await deps.reconciliations.list()).filter((item) => {
      const scope = parseReconciliationId(item.reconciliationId);
      return scope !== undefined && visible(walletsOfScope(scope), clientId);
    });
    return c.json({ items }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const clientId = c.get('principal').clientId;
    const state = await deps.reconciliations.view(scopeFor(c.req.valid('param').id, clientId));
    if (!state) throw missing();
    const seen = reconciliationFor(state, clientId);
    if (/\btext\/csv\b/i.test(c.req.header('accept') ?? '')) {
      return c.body(findingsCsv(seen.book.findings), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    return c.json(viewOf(seen), 200);
  });

  app.openapi(runRoute, async (c) => {
    const { clientId, keyId } = c.get('principal');
    const scope = scopeFor(c.req.valid('param').id, clientId);
    const full = c.req.valid('query').full === 'true';
    const outcome = await deps.reconciliations.run(scope, { requestedBy: `${clientId}/${keyId}`, full }, RUN_WAIT_MS);
    return c.json(viewOf(reconciliationFor(outcome.state, clientId)), outcome.finished ? 200 : 202);
  });

  app.openapi(acknowledgeRoute, async (c) => {
    const { clientId, keyId } = c.get('principal');
    const scope = scopeFor(c.req.valid('param').id, clientId);
    const { findingId, reason } = c.req.valid('json');
    // Only a finding the caller can see may be acknowledged by it; any other is as unknown as one that never was.
    const state = await deps.reconciliations.view(scope);
    if (!state) throw missing();
    if (!reconciliationFor(state, clientId).book.findings.some((finding) => finding.id === findingId))
      throw new ApiError(404, 'finding_not_found', 'no such finding', [
        { field: 'findingId', message: 'no such finding' },
      ]);
    const outcome = await deps.reconciliations.acknowledge(scope, {
      findingId,
      reason,
      operator: `${clientId}/${keyId}`,
    });
    if (outcome.kind === 'done') return c.json(outcome.finding, 200);
    if (outcome.kind === 'not-found') throw new ApiError(404, 'finding_not_found', 'no such finding');
    if (outcome.kind === 'invalid')
      throw new ApiError(400, 'invalid_request', 'the request is invalid', outcome.problems);
    throw new ApiError(409, 'already_acknowledged', outcome.reason);
  });
}
