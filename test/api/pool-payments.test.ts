import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { apiHarness, BODY } from './api-harness';

const POOL: PoolDefinition = {
  name: 'eth-hot',
  network: 'BaseSepolia',
  asset: { kind: 'Native' },
  wallets: ['wa-hot-1', 'wa-hot-2'],
  lowBalanceThreshold: '1000000000000000000',
};
const { walletId: _wallet, ...WITHOUT_WALLET } = BODY;
const POOLED = { ...WITHOUT_WALLET, pool: 'eth-hot' };

describe('POST /v1/payments naming a wallet pool', () => {
  it('starts a payment that names a configured pool of its network and asset', async () => {
    const h = apiHarness({ pools: [POOL] });
    const started = await h.start(h.keys.acme, 'pooled-1', POOLED);
    assert.equal(started.status, 201);
    assert.deepEqual(started.json.request, POOLED);
    // No wallet yet: the pool chooses one when the workflow asks it.
    assert.equal(started.json.wallet, undefined);
  });

  const refusals: { name: string; body: unknown; field: string; message: RegExp; pools?: PoolDefinition[] }[] = [
    {
      name: 'an unknown pool',
      body: { ...POOLED, pool: 'eur-hot' },
      field: 'pool',
      message: /^is not a pool this client may pay from$/,
    },
    {
      name: 'a pool when none is configured',
      body: POOLED,
      field: 'pool',
      message: /^is not a pool this client may pay from$/,
      pools: [],
    },
    {
      name: 'a pool of another network',
      body: { ...POOLED, network: 'EthereumSepolia' },
      field: 'pool',
      message: /pays on BaseSepolia, not EthereumSepolia/,
    },
    {
      name: 'a pool of another asset',
      body: { ...POOLED, asset: { kind: 'Erc20', contract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' } },
      field: 'pool',
      message: /pays Native, not this asset/,
    },
    { name: 'both a wallet and a pool', body: { ...BODY, pool: 'eth-hot' }, field: 'pool', message: /not both/ },
    { name: 'neither a wallet nor a pool', body: WITHOUT_WALLET, field: 'walletId', message: /or name a pool/ },
    { name: 'a malformed pool name', body: { ...POOLED, pool: 'Eth Hot' }, field: 'pool', message: /pool name/ },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: 400 naming ${refusal.field}, nothing started`, async () => {
      const h = apiHarness({ pools: refusal.pools ?? [POOL] });
      const answer = await h.start(h.keys.acme, 'pooled-bad', refusal.body);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
      const errors = answer.json.errors as { field: string; message: string }[];
      assert.deepEqual(
        errors.map((e) => e.field),
        [refusal.field],
      );
      assert.match(errors[0]?.message ?? '', refusal.message);
      assert.equal(h.fake.calls.filter((call) => call.method === 'start').length, 0);
    });
  }

  it('shows the wallet paying a payment that named one', async () => {
    const h = apiHarness({ pools: [POOL] });
    const started = await h.start(h.keys.acme, 'walleted', BODY);
    assert.equal(started.json.wallet, BODY.walletId);
  });
});
