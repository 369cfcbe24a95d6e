import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApprovalService } from '../approvals/approval-service';
import { grantBootstrapRoles } from '../bootstrap/bootstrap-fixtures';
import { handleNotFound, notFound } from '../http/errors';
import { ChainFaultModeSchema, HttpFaultStatusSchema, noFaults } from '../faults/fault-schema';
import { toPriceTable } from '../policies/price-table';
import type { RequestCounter } from './request-counter';
import { DELIVERY_LOG_CAPACITY, type DeliveryLog } from '../webhooks/delivery-log';
import type { RateLimiter } from '../faults/rate-limiter';
import type { LedgerAdmin } from './ledger-admin';
import type { SandboxAdmin } from './sandbox-admin';
import type { UserActions } from '../auth/user-actions';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { parseOrThrow, readJsonBody } from '../http/validation';

// With `next`, a knob named without a probability (`true` or `null`) means "always" (1).
const knob = z.union([z.number().min(0).max(1), z.literal(true), z.null()]).optional();
const WebhookFaultBodySchema = z.strictObject({
  drop: knob,
  duplicate: knob,
  reorder: knob,
  delayMs: z.number().finite().min(0).optional(),
  reorderHoldMs: z.number().finite().min(0).optional(),
  next: z.number().int().min(1).optional(),
});
// `count` queues that many failures; `probability` fails each matching call at that rate until changed or cleared.
const HttpFaultBodySchema = z
  .strictObject({
    status: HttpFaultStatusSchema,
    count: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    paths: z.string().startsWith('/').optional(),
  })
  .refine((rule) => (rule.count === undefined) !== (rule.probability === undefined), {
    message: 'give exactly one of count or probability',
    path: ['count'],
  });
const DeliveriesQuerySchema = z.strictObject({
  kind: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(DELIVERY_LOG_CAPACITY).optional(),
});
const ChainFaultBodySchema = z.strictObject({
  mode: ChainFaultModeSchema,
  count: z.number().int().min(1),
  reason: z.string().min(1).optional(),
});
const SlowBodySchema = z.strictObject({
  delayMs: z.number().finite().min(0),
  count: z.number().int().min(1),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).optional(),
  paths: z.string().startsWith('/').optional(),
});
const PermissionGrantBodySchema = z.strictObject({ operations: z.array(z.string().min(1)).nullable() });
const TimeBodySchema = z.strictObject({ timeScale: z.number().finite().positive() });
// `null` removes a symbol, so amount rules on that asset fail closed.
const PricesBodySchema = z.record(z.string().min(1), z.number().finite().min(0).nullable());

/** Dependencies of the admin API. */
export interface AdminRouteDeps {
  store: StateStore;
  time: TimeControl;
  admin: SandboxAdmin;
  ledger: LedgerAdmin;
  approvals: Pick<ApprovalService, 'render'>;
  counter: RequestCounter;
  limiter: Pick<RateLimiter, 'refused'>;
  deliveryLog: Pick<DeliveryLog, 'list' | 'faults'>;
  userActions: Pick<UserActions, 'accepted'>;
}

/** The test-only admin API under `/_sandbox/` (no bearer token; never reachable through Dfns paths). */
export function createAdminRoutes(deps: AdminRouteDeps) {
  const routes = new Hono();
  const { state } = deps.store;
  const body = async <T extends z.ZodType>(c: Context, schema: T) =>
    parseOrThrow(schema, await readJsonBody(c), 'admin request');
  const saved = () => {
    deps.store.changed();
    return { ok: true, faults: state.faults };
  };

  routes.get('/health', (c) => c.json({ ok: true }));

  // Ground truth for tests: every transfer / replacement transaction / approval in the org, in creation order.
  routes.get('/transfers', (c) => c.json({ items: state.transfers.map((record) => record.transfer) }));
  routes.get('/transactions', (c) => c.json({ items: state.transactions }));
  routes.get('/approvals', (c) => c.json({ items: state.approvals.map(deps.approvals.render) }));
  routes.get('/requests', (c) =>
    c.json({ counts: deps.counter.snapshot(), rateLimited: deps.limiter.refused, injected: deps.counter.injected() }),
  );
  routes.get('/faults', (c) => c.json({ faults: state.faults }));

  routes.post('/faults/webhooks', async (c) => {
    const { next, delayMs, reorderHoldMs, ...probabilities } = await body(c, WebhookFaultBodySchema);
    const p = (value: number | true | null | undefined) =>
      value === undefined ? 0 : value === true || value === null ? 1 : value;
    const knobs = {
      drop: p(probabilities.drop),
      duplicate: p(probabilities.duplicate),
      reorder: p(probabilities.reorder),
      delayMs: delayMs ?? 0,
      reorderHoldMs: reorderHoldMs ?? 0,
    };
    // Without `next` the knobs replace the standing ones (a knob left out is off).
    if (next === undefined) state.faults.webhooks.standing = knobs;
    else state.faults.webhooks.next.push({ ...knobs, remaining: next });
    return c.json(saved());
  });

  routes.post('/faults/http', async (c) => {
    const { count, probability, ...rule } = await body(c, HttpFaultBodySchema);
    if (count !== undefined) state.faults.http.push({ ...rule, remaining: count });
    else {
      // A rate replaces the one for the same status and paths (0 turns it off).
      const same = (other: typeof rule) => other.status === rule.status && other.paths === rule.paths;
      state.faults.httpRates = state.faults.httpRates.filter((other) => !same(other));
      if (probability !== undefined && probability > 0) state.faults.httpRates.push({ ...rule, probability });
    }
    return c.json(saved());
  });

  routes.post('/faults/chain', async (c) => {
    const { count, ...rule } = await body(c, ChainFaultBodySchema);
    state.faults.chain.push({ ...rule, remaining: count });
    return c.json(saved());
  });

  routes.post('/faults/slow', async (c) => {
    const { count, ...rule } = await body(c, SlowBodySchema);
    state.faults.slow.push({ ...rule, remaining: count });
    return c.json(saved());
  });

  // The chain includes a stalled transfer after all: its latest replacement (if any) or itself, within a block.
  routes.post('/transfers/:transferId/mine', (c) => {
    const transferId = c.req.param('transferId');
    if (!deps.admin.mine(transferId)) throw notFound(`No Broadcasted transfer ${transferId}`, { transferId });
    return c.json({ ok: true });
  });

  // Money records that disagree with the orchestrator, for reconciliation tests (ledger-admin.ts).
  routes.post('/wallets/:walletId/deposits', async (c) =>
    c.json(deps.ledger.deposit(c.req.param('walletId'), await readJsonBody(c))),
  );
  routes.post('/wallets/:walletId/transfers', async (c) =>
    c.json(deps.ledger.outsideTransfer(c.req.param('walletId'), await readJsonBody(c))),
  );
  routes.post('/wallets/:walletId/balance-adjustments', async (c) =>
    c.json(deps.ledger.adjustBalance(c.req.param('walletId'), await readJsonBody(c))),
  );
  routes.post('/transfers/:transferId/outcome', async (c) =>
    c.json(deps.ledger.rewriteOutcome(c.req.param('transferId'), await readJsonBody(c))),
  );

  // Raw signed deliveries (body and headers exactly as sent), oldest first, to replay or tamper with.
  routes.get('/deliveries', (c) => {
    const query = parseOrThrow(DeliveriesQuerySchema, c.req.query(), 'query');
    const items = deps.deliveryLog.list().filter((entry) => query.kind === undefined || entry.kind === query.kind);
    const faults = deps.deliveryLog.faults;
    return c.json({ items: query.limit === undefined ? items : items.slice(-query.limit), faults });
  });

  // Which credential (and so which registered public key) signed each request the sandbox carried out.
  routes.get('/user-actions', (c) => c.json({ items: deps.userActions.accepted() }));

  routes.get('/permission-grants', (c) => c.json(state.permissionGrants));

  // Grants a user exactly these operations (as an assigned Dfns permission would); null gives a bootstrap identity
  // its role back (the owner's every operation, an approver's) and leaves anyone else with nothing.
  routes.put('/permissions/:userId', async (c) => {
    const { operations } = await body(c, PermissionGrantBodySchema);
    if (operations === null) {
      delete state.permissionGrants[c.req.param('userId')];
      grantBootstrapRoles(state);
    } else state.permissionGrants[c.req.param('userId')] = operations;
    deps.store.changed();
    return c.json({ ok: true, operations });
  });

  routes.delete('/faults', (c) => {
    state.faults = noFaults();
    return c.json(saved());
  });

  routes.post('/time', async (c) => {
    deps.admin.setTimeScale((await body(c, TimeBodySchema)).timeScale);
    return c.json({ ok: true, timeScale: deps.time.scale });
  });

  routes.post('/prices', async (c) => {
    const prices = await body(c, PricesBodySchema);
    for (const [symbol, usd] of Object.entries(prices)) {
      if (usd === null) delete state.prices[symbol];
      else Object.assign(state.prices, toPriceTable({ [symbol]: usd }));
    }
    deps.store.changed();
    return c.json({ ok: true, prices: state.prices });
  });

  routes.post('/reset', (c) => {
    deps.admin.reset();
    return c.json({ ok: true });
  });

  // Terminates every other /_sandbox path here, so admin paths never fall through to Dfns routes.
  routes.all('*', handleNotFound);

  return routes;
}
