// POST /v1/payments refuses a callbackUrl callbacks may not reach, as a 400 naming the field, and starts nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callbackPolicy } from '../../src/callbacks/callback-url-policy';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import { apiHarness, BODY, GLOBEX_WALLET } from './api-harness';

const starts = (h: ReturnType<typeof apiHarness>) => h.fake.calls.filter((call) => call.method === 'start').length;

describe('POST /v1/payments: callbackUrl', () => {
  const refused: [string, RegExp][] = [
    ['http://payouts.example.com/hooks', /must be an https URL/],
    ['https://localhost:8787/_sandbox/reset', /localhost/],
    ['https://127.0.0.1:8787/_sandbox/reset', /loopback address/],
    ['https://[::ffff:127.0.0.1]/', /ipv4Mapped form of a loopback/],
    ['https://169.254.169.254/latest/meta-data/', /linkLocal address/],
    ['https://[fd00:ec2::254]/latest/meta-data/', /uniqueLocal address/],
    ['https://10.1.2.3/', /private address/],
    ['https://user:pw@payouts.example.com/', /user name or password/],
  ];
  for (const [callbackUrl, why] of refused) {
    it(`answers 400 naming callbackUrl for ${callbackUrl}, and starts nothing`, async () => {
      const h = apiHarness();
      const answer = await h.start(h.keys.acme, 'cb-1', { ...BODY, callbackUrl });
      assert.equal(answer.status, 400);
      assert.equal(answer.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
      const errors = answer.json.errors as { field: string; message: string }[];
      assert.deepEqual(
        errors.map((e) => e.field),
        ['callbackUrl'],
      );
      assert.match(errors[0]?.message ?? '', why);
      assert.equal(starts(h), 0);
    });
  }

  it('starts a payment with an https callbackUrl to a public host', async () => {
    const h = apiHarness();
    const answer = await h.start(h.keys.acme, 'cb-2', { ...BODY, callbackUrl: 'https://payouts.example.com/hooks' });
    assert.equal(answer.status, 201);
    assert.equal(starts(h), 1);
  });

  it('lets the operator allow a receiver of its own over http on loopback, on that port only', async () => {
    const h = apiHarness({ callbacks: callbackPolicy({ insecureHosts: ['127.0.0.1:9000'] }) });
    const ok = await h.start(h.keys.acme, 'cb-3', { ...BODY, callbackUrl: 'http://127.0.0.1:9000/callbacks' });
    assert.equal(ok.status, 201);
    const other = await h.start(h.keys.acme, 'cb-4', { ...BODY, callbackUrl: 'http://127.0.0.1:8787/_sandbox/reset' });
    assert.equal(other.status, 400);
    assert.equal(starts(h), 1);
  });

  it("holds a client with callback hosts to them; another client's URLs are not held to its list", async () => {
    // globex's list comes from the clients file, as the server reads it (PAYMENT_CLIENTS_FILE).
    const h = apiHarness({
      clients: {
        version: 1,
        clients: [
          { id: 'acme', wallets: [BODY.walletId] },
          { id: 'globex', wallets: [GLOBEX_WALLET], callbackHosts: ['hooks.globex.example'] },
        ],
      },
    });
    const elsewhere = { ...BODY, callbackUrl: 'https://payouts.example.com/hooks' };
    const refused = await h.start(h.keys.globex, 'cb-5', { ...elsewhere, walletId: GLOBEX_WALLET });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json.errors, [
      { field: 'callbackUrl', message: "names payouts.example.com, which is not one of this client's callback hosts" },
    ]);
    const own = await h.start(h.keys.globex, 'cb-6', {
      ...BODY,
      walletId: GLOBEX_WALLET,
      callbackUrl: 'https://hooks.globex.example/x',
    });
    assert.equal(own.status, 201);
    assert.equal((await h.start(h.keys.acme, 'cb-7', elsewhere)).status, 201);
    assert.equal(starts(h), 2);
  });

  it('names callbackUrl beside the other bad fields of the same body', async () => {
    const h = apiHarness();
    const { walletId: _walletId, ...payer } = BODY;
    const body = { ...payer, pool: 'unknown-pool', callbackUrl: 'https://127.0.0.1/' };
    const answer = await h.start(h.keys.acme, 'cb-8', body);
    assert.equal(answer.status, 400);
    assert.deepEqual(
      (answer.json.errors as { field: string }[]).map((e) => e.field),
      ['pool', 'callbackUrl'],
    );
    assert.equal(starts(h), 0);
  });
});
