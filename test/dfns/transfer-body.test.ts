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
    const request: PaymentRequest = {
      ...native,
      asset: { kind: 'Erc20', contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', symbol: 'USDC', decimals: 6 },
    };
    assert.deepEqual(toDfnsTransferBody(request, 'payment:order-42:a2'), {
      kind: 'Erc20',
      contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      to: native.to,
      amount: '1000',
      externalId: 'payment:order-42:a2',
    });
  });

  it('is a pure function: the same input gives byte-identical JSON', () => {
    assert.equal(
      JSON.stringify(toDfnsTransferBody(native, 'payment:order-42:a1')),
      JSON.stringify(toDfnsTransferBody({ ...native }, 'payment:order-42:a1')),
    );
  });
});

describe('toDfnsTransferBody on Tron, Solana and Bitcoin, and with a fee sponsor', () => {
  const base = { idempotencyKey: 'k', walletId: 'wa-1', amount: '1000000' };

  it('builds a Trc20 body with the contract', () => {
    const request: PaymentRequest = {
      ...base,
      network: 'Tron',
      asset: { kind: 'Trc20', contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', symbol: 'USDT', decimals: 6 },
      to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
    };
    assert.deepEqual(toDfnsTransferBody(request, 'x:a1'), {
      kind: 'Trc20',
      contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      to: request.to,
      amount: '1000000',
      externalId: 'x:a1',
    });
  });

  it('builds an Spl body with the mint and the explicit createDestinationAccount choice', () => {
    for (const createDestinationAccount of [true, false]) {
      const request: PaymentRequest = {
        ...base,
        network: 'SolanaDevnet',
        asset: { kind: 'Spl', mint: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', createDestinationAccount },
        to: '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5',
      };
      assert.deepEqual(toDfnsTransferBody(request, 'x:a1'), {
        kind: 'Spl',
        mint: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
        to: request.to,
        amount: '1000000',
        createDestinationAccount,
        externalId: 'x:a1',
      });
    }
  });

  it('builds an Spl2022 body like an Spl one (docs.dfns.co/networks/solana), without the orchestrator-only opt-in', () => {
    // The Token-2022 mint of PayPal USD; the recipient is @solana/spl-token's test ATA (a PDA), opted in.
    const request: PaymentRequest = {
      ...base,
      network: 'Solana',
      asset: {
        kind: 'Spl2022',
        mint: '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo',
        createDestinationAccount: true,
        allowOwnerOffCurve: true,
      },
      to: 'DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n',
    };
    assert.deepEqual(toDfnsTransferBody(request, 'x:a1'), {
      kind: 'Spl2022',
      mint: '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo',
      to: request.to,
      amount: '1000000',
      createDestinationAccount: true,
      externalId: 'x:a1',
    });
  });

  it('builds a Native body for BTC', () => {
    const request: PaymentRequest = {
      ...base,
      network: 'Bitcoin',
      asset: { kind: 'Native' },
      to: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    };
    assert.deepEqual(toDfnsTransferBody(request, 'x:a1'), {
      kind: 'Native',
      to: request.to,
      amount: '1000000',
      externalId: 'x:a1',
    });
  });

  it('carries feeSponsorId when the request names one', () => {
    assert.deepEqual(toDfnsTransferBody({ ...native, feeSponsorId: 'fs-1' }, 'x:a1'), {
      kind: 'Native',
      to: native.to,
      amount: '1000',
      externalId: 'x:a1',
      feeSponsorId: 'fs-1',
    });
  });
});
