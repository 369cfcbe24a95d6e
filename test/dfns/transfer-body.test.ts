import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { toDfnsTransferBody } from '../../src/dfns/transfer-body';

const native: PaymentRequest = {
  idempotencyKey: 'order-42',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000',
  reference: 'not sent to Dfns',
};

describe('toDfnsTransferBody', () => {
  it('builds a Native body with the externalId and nothing else', () => {
    assert.deepEqual(toDfnsTransferBody(native, 'payment:order-42:a1'), {
      kind: 'Native',
      to: native.to,
      amount: '1000',
      externalId: 'payment:order-42:a1',
    });
  });

  it('builds an Erc20 body with the contract and without display metadata', () => {
    const request: PaymentRequest = { ...native, asset: { kind: 'Erc20', contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', symbol: 'USDC', decimals: 6 } };
    assert.deepEqual(toDfnsTransferBody(request, 'payment:order-42:a2'), {
      kind: 'Erc20',
      contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      to: native.to,
      amount: '1000',
      externalId: 'payment:order-42:a2',
    });
  });

  it('is a pure function: the same input gives byte-identical JSON', () => {
    assert.equal(JSON.stringify(toDfnsTransferBody(native, 'payment:order-42:a1')), JSON.stringify(toDfnsTransferBody({ ...native }, 'payment:order-42:a1')));
  });
});
