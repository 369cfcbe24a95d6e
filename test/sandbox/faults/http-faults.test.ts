import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  dfnsFailure,
  groundTruth,
  rawCall,
  sendNative,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';
import { resetSandbox } from '../policy-support';

function retryAfterOf(err: { context?: unknown }): string | null {
  return (err.context as { headers: Headers }).headers.get('retry-after');
}

describe('HTTP fault injection', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  it('a 429 burst answers the next N requests with the Dfns shape and Retry-After, then recovers', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/http', { status: 429, count: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i += 1) {
      const err = await dfnsFailure(t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId }));
      assert.equal(err.httpStatus, 429);
      assert.equal(retryAfterOf(err), '7');
      const body = (err.context as Json).body.error;
      assert.equal(body.status, 429);
      assert.match(body.id, /^\d+$/);
    }
    const wallet = await t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId });
    assert.equal(wallet.id, t.bootstrap.walletId);
  });

  it('answers 500/502/503 with the Dfns error shape, before authentication', async () => {
    for (const status of [500, 502, 503]) {
      await admin(t.sandbox.url, 'POST', '/faults/http', { status, count: 1 });
      const res = await rawCall(t.bootstrap, 'GET', '/wallets', { bearer: null });
      assert.equal(res.status, status);
      assert.equal(res.body.error.status, status);
    }
    await admin(t.sandbox.url, 'POST', '/faults/http', { status: 429, count: 1 });
    const err = await dfnsFailure(t.dfns.webhooks.listWebhooks());
    assert.equal(retryAfterOf(err), '1', 'an injected 429 always has Retry-After (default 1 s)');
  });

  it('with `paths`, only requests under that prefix fail (here the transfer POST, not its handshake)', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/http', { status: 503, count: 1, paths: '/wallets/' });
    assert.ok((await t.dfns.webhooks.listWebhooks()).items.length >= 1, 'other paths are untouched');
    const err = await dfnsFailure(sendNative(t.dfns, t.bootstrap.walletId, '1'));
    assert.equal(err.httpStatus, 503);
    assert.match(String((err.context as Json).url), /\/transfers$/);
    assert.deepEqual(await groundTruth(t.sandbox.url), []);
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '1');
    await waitForStatus(t.dfns, t.bootstrap.walletId, created.id, 'Confirmed');
  });

  it('slow: the work is done at once but the answer is held back (matching method and path prefix only)', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/slow', { delayMs: 400, count: 1, method: 'POST', paths: '/wallets/' });
    await t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId }); // a GET is not slowed
    const started = Date.now();
    const pending = sendNative(t.dfns, t.bootstrap.walletId, '1', 'slow-1');
    const stored = await waitFor(
      async () => ((await groundTruth(t.sandbox.url)).length === 1 ? true : undefined),
      2000,
      'stored',
    );
    assert.ok(stored && Date.now() - started < 400, 'the transfer exists before the answer arrives');
    const created = await pending;
    assert.ok(Date.now() - started >= 400);
    assert.equal(created.externalId, 'slow-1');
    const quick = Date.now();
    await sendNative(t.dfns, t.bootstrap.walletId, '1');
    assert.ok(Date.now() - quick < 400, 'count: 1 slows one answer only');
  });

  it('counts Dfns-path requests by route pattern since start or reset', async () => {
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '1');
    await t.dfns.wallets.getTransfer({ walletId: t.bootstrap.walletId, transferId: created.id });
    await rawCall(t.bootstrap, 'GET', '/no/such/route');
    const { counts } = (await admin(t.sandbox.url, 'GET', '/requests')).body;
    assert.deepEqual(counts, {
      'GET (unmatched)': 1,
      'GET /wallets/:walletId/transfers/:transferId': 1,
      'POST /auth/action': 1,
      'POST /auth/action/init': 1,
      'POST /wallets/:walletId/transfers': 1,
    });
    await admin(t.sandbox.url, 'POST', '/reset', {});
    assert.deepEqual((await admin(t.sandbox.url, 'GET', '/requests')).body.counts, {});
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past rateLimitPerMinute, counting the user-action handshake', async () => {
    const t = await startTestSandbox({ timeScale: 1000, rateLimitPerMinute: 5 });
    try {
      await sendNative(t.dfns, t.bootstrap.walletId, '1'); // 3 requests: init, sign, create
      await t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId });
      await t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId });
      const err = await dfnsFailure(t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId }));
      assert.equal(err.httpStatus, 429);
      const retryAfter = Number(retryAfterOf(err));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal((err.context as Json).body.error.status, 429);
      const health = await admin(t.sandbox.url, 'GET', '/health');
      assert.equal(health.status, 200, 'the admin API is not rate limited');
    } finally {
      await t.close();
    }
  });

  it('is off with rateLimitPerMinute 0', async () => {
    const t = await startTestSandbox({ timeScale: 1000, rateLimitPerMinute: 0 });
    try {
      const reads = Array.from({ length: 30 }, () => t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId }));
      assert.equal((await Promise.all(reads)).length, 30);
    } finally {
      await t.close();
    }
  });
});
