import { Hono } from 'hono';
import { handleNotFound } from '../errors';
import type { StateStore } from '../state-store';

/**
 * The test-only admin API under `/_sandbox/` (no bearer token). Later knobs (fault injection,
 * time scale, reset) get their own route groups here.
 */
export function createAdminRoutes(deps: { store: StateStore }) {
  const routes = new Hono();

  routes.get('/health', (c) => c.json({ ok: true }));

  // Ground truth for tests: every transfer in the org, in creation order.
  routes.get('/transfers', (c) => c.json({ items: deps.store.state.transfers.map((record) => record.transfer) }));

  // Terminates every other /_sandbox path here, so admin paths never fall through to Dfns routes.
  routes.all('*', handleNotFound);

  return routes;
}
