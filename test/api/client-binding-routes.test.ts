// A client pays from, and lists by, only its own wallets and pools: another client's answer exactly as unknown ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { apiHarness, BODY, GLOBEX_WALLET, RECIPIENT } from './api-harness';

const ACME_POOL: PoolDefinition = {
  name: 'acme-hot',
  network: 'BaseSepolia',
  asset: { kind: 'Native' },
  wallets: ['wa-hot-1', 'wa-hot-2'],
  lowBalanceThreshold: '0',
};
const GLOBEX_POOL: PoolDefinition = { ...ACME_POOL, name: 'globex-hot', wallets: ['wa-hot-3'] };
const POOLS = [ACME_POOL, GLOBEX_POOL];
const CLIENTS = {
  version: 1 as const,
  clients: [
    { id: 'acme', wallets: [BODY.walletId], pools: [ACME_POOL.name] },
    { id: 'globex', wallets: [GLOBEX_WALLET], pools: [GLOBEX_POOL.name] },
  ],
};
const { walletId: _wallet, ...NO_PAYER } = BODY;
const harness = () => apiHarness({ pools: POOLS, clients: CLIENTS });
type Harness = ReturnType<typeof harness>;

/** A problem document's body without `instance` (the path, which differs between routes). */
const problem = (answer: { status: number; headers: Headers; json: Record<string, unknown> }) => {
  assert.equal(answer.status, 400, JSON.stringify(answer.json));
  assert.equal(answer.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
  return answer.json;
};
const started = (h: Harness) => h.fake.calls.filter((call) => call.method === 'start').length;

describe('POST /v1/payments from a wallet or pool of another client', () => {
  it("refuses another client's wallet exactly as an unknown one: 400 naming walletId, nothing started", async () => {
    const h = harness();
    const theirs = problem(await h.start(h.keys.acme, 'theirs', { ...BODY, walletId: GLOBEX_WALLET }));
    const unknown = problem(await h.start(h.keys.acme, 'unknown', { ...BODY, walletId: 'wa-nobody-1' }));
    assert.deepEqual(theirs, unknown);
    assert.deepEqual(theirs.errors, [{ field: 'walletId', message: 'is not a wallet this client may pay from' }]);
    assert.equal(started(h), 0);
    // The owner pays from it.
    assert.equal((await h.start(h.keys.globex, 'mine', { ...BODY, walletId: GLOBEX_WALLET })).status, 201);
  });

  it("refuses another client's pool exactly as an unknown one: 400 naming pool, nothing started", async () => {
    const h = harness();
    const theirs = problem(await h.start(h.keys.acme, 'theirs', { ...NO_PAYER, pool: GLOBEX_POOL.name }));
    const unknown = problem(await h.start(h.keys.acme, 'unknown', { ...NO_PAYER, pool: 'nobodys-hot' }));
    assert.deepEqual(theirs, unknown);
    assert.deepEqual(theirs.errors, [{ field: 'pool', message: 'is not a pool this client may pay from' }]);
    assert.equal(started(h), 0);
    assert.equal((await h.start(h.keys.acme, 'mine', { ...NO_PAYER, pool: ACME_POOL.name })).status, 201);
  });

  it("refuses a wallet of one of the client's pools named directly: the pool pays from it, the client does not", async () => {
    const h = harness();
    const answer = problem(await h.start(h.keys.acme, 'direct', { ...BODY, walletId: 'wa-hot-1' }));
    assert.deepEqual(answer.errors, [{ field: 'walletId', message: 'is not a wallet this client may pay from' }]);
  });

  it("names only the caller's own pools when its pool pays another network", async () => {
    const h = harness();
    const answer = problem(
      await h.start(h.keys.acme, 'network', { ...NO_PAYER, network: 'EthereumSepolia', pool: ACME_POOL.name }),
    );
    assert.deepEqual(answer.errors, [
      { field: 'pool', message: 'pool "acme-hot" pays on BaseSepolia, not EthereumSepolia' },
    ]);
  });

  it('a client the clients file does not name may pay from nothing', async () => {
    const h = apiHarness({ pools: POOLS, clients: { version: 1, clients: [] } });
    const answer = problem(await h.start(h.keys.acme, 'none', BODY));
    assert.deepEqual(answer.errors, [{ field: 'walletId', message: 'is not a wallet this client may pay from' }]);
    assert.equal(started(h), 0);
  });
});

describe('POST /v1/batches with rows of another client', () => {
  const startJson = (h: Harness, rows: unknown[], key: string) =>
    h.request('/v1/batches', { method: 'POST', key, headers: { 'Idempotency-Key': 'run-1' }, body: { rows } });
  const startCsv = (h: Harness, csv: string, key: string) =>
    h.request('/v1/batches', {
      method: 'POST',
      key,
      headers: { 'Idempotency-Key': 'run-1', 'content-type': 'text/csv' },
      body: csv,
    });

  it("lists a row paying from another client's wallet or pool beside the other bad rows; nothing starts", async () => {
    const h = harness();
    const rows = (wallet: string, pool: string) => [
      { key: 'ok', ...BODY },
      { key: 'wallet', ...BODY, walletId: wallet },
      { key: 'pool', ...NO_PAYER, pool },
      { key: 'bad', ...BODY, amount: '-5' },
    ];
    const theirs = problem(await startJson(h, rows(GLOBEX_WALLET, GLOBEX_POOL.name), h.keys.acme));
    const unknown = problem(await startJson(h, rows('wa-nobody-1', 'nobodys-hot'), h.keys.acme));
    assert.deepEqual(theirs, unknown);
    assert.equal(theirs.type, 'urn:problem:payments:invalid_rows');
    assert.deepEqual(
      (theirs.errors as { field: string }[]).map((e) => e.field),
      ['row 2.walletId', 'row 3.pool', 'row 4.amount'],
    );
    assert.deepEqual((theirs.errors as unknown[]).slice(0, 2), [
      { field: 'row 2.walletId', message: 'is not a wallet this client may pay from' },
      { field: 'row 3.pool', message: 'is not a pool this client may pay from' },
    ]);
    assert.deepEqual(h.batches.calls, []);
  });

  it("refuses a CSV row of another client's wallet exactly as an unknown one; nothing starts", async () => {
    const h = harness();
    const csv = (wallet: string) =>
      [
        'key,walletId,network,asset,to,amount',
        `r1,${BODY.walletId},BaseSepolia,native,${RECIPIENT},1500000`,
        `r2,${wallet},BaseSepolia,native,${RECIPIENT},1500000`,
      ].join('\n');
    const theirs = problem(await startCsv(h, csv(GLOBEX_WALLET), h.keys.acme));
    const unknown = problem(await startCsv(h, csv('wa-nobody-1'), h.keys.acme));
    assert.deepEqual(theirs, unknown);
    assert.deepEqual(theirs.errors, [{ field: 'row 2.walletId', message: 'is not a wallet this client may pay from' }]);
    assert.deepEqual(h.batches.calls, []);
    assert.equal((await startCsv(h, csv(GLOBEX_WALLET), h.keys.globex)).status, 400, "globex may not pay acme's row 1");
    assert.equal((await startCsv(h, csv(BODY.walletId), h.keys.acme)).status, 201);
  });
});

describe('GET /v1/payments?wallet=', () => {
  const list = (h: Harness, key: string, wallet: string) =>
    h.request(`/v1/payments?wallet=${encodeURIComponent(wallet)}`, { key });

  it("refuses another client's wallet exactly as an unknown one: 400 naming wallet, nothing listed", async () => {
    const h = harness();
    const theirs = problem(await list(h, h.keys.acme, GLOBEX_WALLET));
    const unknown = problem(await list(h, h.keys.acme, 'wa-nobody-1'));
    assert.deepEqual(theirs, unknown);
    assert.deepEqual(theirs.errors, [{ field: 'wallet', message: 'is not a wallet this client may pay from' }]);
    // A pool wallet is the caller's to filter by only when the pool is.
    problem(await list(h, h.keys.globex, 'wa-hot-1'));
    assert.equal(h.fake.calls.filter((call) => call.method === 'list').length, 0);
  });

  it("filters by the client's own wallets and its pools' wallets", async () => {
    const h = harness();
    for (const wallet of [BODY.walletId, 'wa-hot-1', 'wa-hot-2']) {
      const answer = await list(h, h.keys.acme, wallet);
      assert.equal(answer.status, 200, `${wallet}: ${answer.text}`);
    }
    const filters = h.fake.calls.filter((call) => call.method === 'list').map((call) => call.args[0]);
    assert.deepEqual(
      filters.map((filter) => (filter as { walletId?: string }).walletId),
      [BODY.walletId, 'wa-hot-1', 'wa-hot-2'],
    );
  });
});
