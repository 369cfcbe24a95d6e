import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestHash } from '../../src/client/request-hash';
import { omit } from '../contracts/omit';

const request = {
  idempotencyKey: 'order-42',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  asset: { kind: 'Erc20', contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', symbol: 'USDC', decimals: 6 },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1500000',
  reference: 'payout 123',
};

/** The same object with its keys, at every level, in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

describe('requestHash', () => {
  it('is a hex SHA-256 digest', () => {
    assert.match(requestHash(request), /^[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    assert.equal(requestHash(request), requestHash(structuredClone(request)));
  });

  it('does not change with key order, at the top level or nested', () => {
    const shuffled = reversed(request);
    assert.notEqual(JSON.stringify(shuffled), JSON.stringify(request), 'the keys really are in another order');
    assert.equal(requestHash(shuffled), requestHash(request));
  });

  it('ignores undefined fields, as JSON does', () => {
    assert.equal(
      requestHash({ ...request, reference: undefined }),
      requestHash({ ...request, reference: undefined, extra: undefined }),
    );
    const withoutReference = omit(request, 'reference');
    assert.equal(requestHash({ ...request, reference: undefined }), requestHash(withoutReference));
  });

  const changes: [string, Record<string, unknown>][] = [
    ['idempotencyKey', { idempotencyKey: 'order-43' }],
    ['walletId', { walletId: 'wa-2' }],
    ['network', { network: 'Base' }],
    ['to', { to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35a' }],
    ['amount', { amount: '1500001' }],
    ['amount as a number', { amount: 1500000 }],
    ['reference', { reference: 'payout 124' }],
    ['missing reference', { reference: undefined }],
    ['asset.kind', { asset: { kind: 'Native' } }],
    ['asset.contract', { asset: { ...request.asset, contract: '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB' } }],
    ['asset.symbol', { asset: { ...request.asset, symbol: 'USDT' } }],
    ['asset.decimals', { asset: { ...request.asset, decimals: 18 } }],
    ['an added field', { memo: 'x' }],
  ];
  for (const [what, change] of changes) {
    it(`changes when ${what} changes`, () => {
      assert.notEqual(requestHash({ ...request, ...change }), requestHash(request));
    });
  }

  it('keeps array order significant', () => {
    assert.notEqual(requestHash({ list: [1, 2] }), requestHash({ list: [2, 1] }));
    assert.equal(requestHash({ list: [{ b: 1, a: 2 }] }), requestHash({ list: [{ a: 2, b: 1 }] }));
  });

  it('does not confuse a value moved to another key', () => {
    assert.notEqual(requestHash({ a: '1', b: '2' }), requestHash({ a: '2', b: '1' }));
  });
});
