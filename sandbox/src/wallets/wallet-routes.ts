import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxEnv } from '../http/app-env';
import { notFound } from '../http/errors';
import { paginate, PageQuerySchema } from '../http/pagination';
import type { Wallet } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TransferActions } from './transfer-actions';
import type { TransferService } from './transfer-service';
import { parseOrThrow, readJsonBody } from '../http/validation';
import { listAssets } from './wallet-assets';
import { HistoryQuerySchema, listHistory } from './wallet-history';

/** A wallet as `GET /wallets/{id}` returns it: balances live behind `/assets`, the nonce is internal. */
function publicWallet(wallet: Wallet) {
  const { balances: _balances, nonce: _nonce, ...rest } = wallet;
  return rest;
}

const ListWalletsQuerySchema = PageQuerySchema.extend({ owner: z.string().optional() });
const TagsBodySchema = z.strictObject({ tags: z.array(z.string().min(1)).min(1) });

/** Wallet reads, tags and the transfer endpoints under `/wallets`, as @dfns/sdk's `wallets` client calls them. */
export function createWalletRoutes(deps: { store: StateStore; transfers: TransferService; actions: TransferActions }) {
  const routes = new Hono<SandboxEnv>();
  const { store } = deps;
  const { state } = store;

  const findWallet = (walletId: string) => {
    const wallet = state.wallets.find((candidate) => candidate.id === walletId);
    if (!wallet) throw notFound('Wallet not found', { walletId, orgId: state.org.id });
    return wallet;
  };

  routes.get('/wallets', (c) => {
    const query = parseOrThrow(ListWalletsQuerySchema, c.req.query(), 'query');
    const newestFirst = [...state.wallets].reverse();
    const page = paginate(newestFirst, query, (wallet) => wallet.id);
    return c.json({ ...page, items: page.items.map(publicWallet) });
  });

  routes.get('/wallets/:walletId', (c) => c.json(publicWallet(findWallet(c.req.param('walletId')))));

  routes.get('/wallets/:walletId/assets', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    return c.json({ walletId: wallet.id, network: wallet.network, assets: listAssets(wallet) });
  });

  // Confirmed chain events, in and out, newest first (https://docs.dfns.co/api-reference/wallets/get-wallet-history).
  routes.get('/wallets/:walletId/history', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    return c.json(listHistory(state, wallet, parseOrThrow(HistoryQuerySchema, c.req.query(), 'query')));
  });

  // Tags feed the `walletTags` policy filters; no `wallet.tags.modified` event is sent (data shape unpublished).
  routes.put('/wallets/:walletId/tags', async (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { tags } = parseOrThrow(TagsBodySchema, await readJsonBody(c), 'tags');
    wallet.tags = [...new Set([...wallet.tags, ...tags])];
    store.changed();
    return c.json({});
  });

  routes.delete('/wallets/:walletId/tags', async (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { tags } = parseOrThrow(TagsBodySchema, await readJsonBody(c), 'tags');
    wallet.tags = wallet.tags.filter((tag) => !tags.includes(tag));
    store.changed();
    return c.json({});
  });

  routes.post('/wallets/:walletId/transfers', async (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { userId, tokenId } = c.get('auth');
    return c.json(deps.transfers.create(wallet, await readJsonBody(c), { userId, tokenId }));
  });

  routes.get('/wallets/:walletId/transfers', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    return c.json(deps.transfers.list(wallet.id, parseOrThrow(PageQuerySchema, c.req.query(), 'query')));
  });

  routes.get('/wallets/:walletId/transfers/:transferId', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    return c.json(deps.transfers.get(wallet.id, c.req.param('transferId')));
  });

  routes.post('/wallets/:walletId/transfers/:transferId/cancel', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { userId, tokenId } = c.get('auth');
    return c.json(deps.actions.cancel(wallet, c.req.param('transferId'), { userId, tokenId }));
  });

  routes.put('/wallets/:walletId/transfers/:transferId/abort', (c) =>
    c.json(deps.actions.abort(findWallet(c.req.param('walletId')), c.req.param('transferId'))),
  );

  routes.post('/wallets/:walletId/transfers/:transferId/speed-up', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { userId, tokenId } = c.get('auth');
    return c.json(deps.actions.speedUp(wallet, c.req.param('transferId'), { userId, tokenId }));
  });

  routes.get('/wallets/:walletId/transactions/:transactionId', (c) => {
    const wallet = findWallet(c.req.param('walletId'));
    const { transactionId } = c.req.param();
    const transaction = state.transactions.find((tx) => tx.id === transactionId && tx.walletId === wallet.id);
    if (!transaction) throw notFound('Transaction not found', { walletId: wallet.id, transactionId });
    return c.json(transaction);
  });

  return routes;
}
