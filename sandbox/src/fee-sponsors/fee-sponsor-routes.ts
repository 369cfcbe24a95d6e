import { Hono } from 'hono';
import { z } from 'zod';
import { getNetwork } from '../chain/networks';
import { badRequest, notFound } from '../http/errors';
import type { SandboxEnv } from '../http/app-env';
import { paginate, PageQuerySchema } from '../http/pagination';
import { parseOrThrow, readJsonBody } from '../http/validation';
import { newId } from '../state/ids';
import type { FeeSponsor } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';

/** `CreateFeeSponsorBody` of @dfns/sdk's `feeSponsors` client. */
const CreateFeeSponsorBodySchema = z.strictObject({
  walletId: z.string().min(1),
  name: z.string().min(1).max(100).optional(),
  allowEndUser: z.boolean().optional(),
});

/**
 * `/fee-sponsors`, as @dfns/sdk's `feeSponsors` client calls them (https://docs.dfns.co/api-reference/fee-sponsors):
 * a fee sponsor is a wallet that pays other wallets' network fees. Its balance is its wallet's native balance.
 */
export function createFeeSponsorRoutes(deps: { store: StateStore; time: TimeControl }) {
  const routes = new Hono<SandboxEnv>();
  const { store } = deps;
  const find = (id: string): FeeSponsor => {
    const sponsor = store.state.feeSponsors.find((candidate) => candidate.id === id && candidate.status !== 'Archived');
    if (!sponsor) throw notFound('Fee sponsor not found', { feeSponsorId: id });
    return sponsor;
  };
  const setStatus = (id: string, status: FeeSponsor['status']) => {
    const sponsor = find(id);
    sponsor.status = status;
    store.changed();
    return sponsor;
  };

  routes.post('/fee-sponsors', async (c) => {
    const body = parseOrThrow(CreateFeeSponsorBodySchema, await readJsonBody(c), 'fee sponsor');
    const wallet = store.state.wallets.find((candidate) => candidate.id === body.walletId);
    if (!wallet) throw notFound('Wallet not found', { walletId: body.walletId });
    if (!getNetwork(wallet.network).feeSponsors) {
      throw badRequest(`Fee sponsors are not supported on ${wallet.network}`, { walletId: wallet.id });
    }
    if (store.state.feeSponsors.some((sponsor) => sponsor.walletId === wallet.id && sponsor.status !== 'Archived')) {
      throw badRequest('This wallet is already a fee sponsor', { walletId: wallet.id });
    }
    const sponsor: FeeSponsor = {
      id: newId('fs'),
      walletId: wallet.id,
      network: wallet.network,
      status: 'Active',
      dateCreated: new Date(deps.time.now()).toISOString(),
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.allowEndUser !== undefined ? { allowEndUser: body.allowEndUser } : {}),
    };
    store.state.feeSponsors.push(sponsor);
    store.changed();
    return c.json(sponsor);
  });
  routes.get('/fee-sponsors', (c) => {
    const query = parseOrThrow(PageQuerySchema, c.req.query(), 'query');
    const live = store.state.feeSponsors.filter((sponsor) => sponsor.status !== 'Archived').reverse();
    return c.json(paginate(live, query, (sponsor) => sponsor.id));
  });
  routes.get('/fee-sponsors/:feeSponsorId', (c) => c.json(find(c.req.param('feeSponsorId'))));
  routes.put('/fee-sponsors/:feeSponsorId/activate', (c) => c.json(setStatus(c.req.param('feeSponsorId'), 'Active')));
  routes.put('/fee-sponsors/:feeSponsorId/deactivate', (c) =>
    c.json(setStatus(c.req.param('feeSponsorId'), 'Deactivated')),
  );
  routes.delete('/fee-sponsors/:feeSponsorId', (c) => c.json(setStatus(c.req.param('feeSponsorId'), 'Archived')));
  return routes;
}
