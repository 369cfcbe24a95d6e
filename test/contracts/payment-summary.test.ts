import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { displayAsset, paymentSummary, shortAddress } from '../../src/contracts/payment-summary';
import { omit } from './omit';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const USDC = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

const usdc: PaymentRequest = {
  idempotencyKey: 'payout-123',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  asset: { kind: 'Erc20', contract: USDC, symbol: 'USDC', decimals: 6 },
  to: RECIPIENT,
  amount: '1500000',
  reference: 'payout 123',
};

describe('shortAddress', () => {
  it('keeps 0x plus four characters and the last four', () => {
    assert.equal(shortAddress(RECIPIENT), '0xfB69…d359');
  });

  it('leaves short strings alone', () => {
    assert.equal(shortAddress('0x12345678'), '0x12345678');
    assert.equal(shortAddress('123456789012'), '123456789012');
  });
});

describe('paymentSummary', () => {
  it('formats an Erc20 payment with symbol, decimals and reference', () => {
    assert.equal(paymentSummary(usdc), '1.5 USDC → 0xfB69…d359 on Ethereum Sepolia (payout 123)');
  });

  it('formats a Native payment in the network’s native symbol and decimals', () => {
    const request: PaymentRequest = {
      ...usdc,
      asset: { kind: 'Native' },
      network: 'Polygon',
      amount: '2500000000000000000',
    };
    assert.equal(paymentSummary(request), '2.5 POL → 0xfB69…d359 on Polygon (payout 123)');
  });

  it('omits the parentheses when there is no reference', () => {
    const request = omit(usdc, 'reference');
    assert.equal(paymentSummary(request), '1.5 USDC → 0xfB69…d359 on Ethereum Sepolia');
  });

  it('shows base units when the token’s decimals are unknown', () => {
    const request: PaymentRequest = { ...usdc, asset: { kind: 'Erc20', contract: USDC, symbol: 'USDC' } };
    assert.equal(paymentSummary(request), '1500000 base units of USDC → 0xfB69…d359 on Ethereum Sepolia (payout 123)');
  });

  it('names the token by its short contract address when the symbol is unknown', () => {
    const request: PaymentRequest = { ...usdc, asset: { kind: 'Erc20', contract: USDC } };
    assert.equal(
      paymentSummary(request),
      '1500000 base units of token 0x5aAe…eAed → 0xfB69…d359 on Ethereum Sepolia (payout 123)',
    );
  });

  it('formats amounts above 2^53 exactly', () => {
    const request: PaymentRequest = {
      ...usdc,
      asset: { kind: 'Native' },
      network: 'Base',
      amount: '123456789012345678901234567',
    };
    assert.equal(paymentSummary(request), '123456789.012345678901234567 ETH → 0xfB69…d359 on Base (payout 123)');
  });
});

describe('displayAsset', () => {
  it('uses the network’s native symbol and decimals for Native', () => {
    assert.deepEqual(displayAsset({ ...usdc, asset: { kind: 'Native' }, network: 'ArbitrumOne' }), {
      symbol: 'ETH',
      decimals: 18,
    });
  });

  it('uses the request’s symbol and decimals for Erc20', () => {
    assert.deepEqual(displayAsset(usdc), { symbol: 'USDC', decimals: 6 });
  });
});

describe('paymentSummary on Tron, Solana and Bitcoin', () => {
  const base = { idempotencyKey: 'k', walletId: 'wa-1', reference: 'payout 9' };

  it('shows USDT on Tron with 6 decimals from the known-token table', () => {
    const request: PaymentRequest = {
      ...base,
      network: 'Tron',
      asset: { kind: 'Trc20', contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
      amount: '12500000',
    };
    assert.equal(paymentSummary(request), '12.5 USDT → TNPeea…YqeL on Tron (payout 9)');
  });

  it('shows USDC on Solana with 6 decimals, and native SOL with 9', () => {
    const to = '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5';
    const mint = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
    const usdc: PaymentRequest = {
      ...base,
      network: 'Solana',
      asset: { kind: 'Spl', mint, createDestinationAccount: false },
      to,
      amount: '2000001',
    };
    assert.deepEqual(displayAsset(usdc), { symbol: 'USDC', decimals: 6 });
    assert.match(paymentSummary(usdc), /^2\.000001 USDC → 14grJp…hhZ5 on Solana/);
    assert.match(paymentSummary({ ...usdc, asset: { kind: 'Native' }, amount: '1500000000' }), /^1\.5 SOL /);
  });

  it('shows BTC with 8 decimals', () => {
    const request: PaymentRequest = {
      ...base,
      network: 'Bitcoin',
      asset: { kind: 'Native' },
      to: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      amount: '12345678',
    };
    assert.equal(paymentSummary(request), '0.12345678 BTC → bc1qw5…f3t4 on Bitcoin (payout 9)');
  });

  it('prefers the caller’s symbol and decimals, and shows base units for an unknown token', () => {
    const request: PaymentRequest = {
      ...base,
      network: 'TronNile',
      asset: { kind: 'Trc20', contract: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL' },
      to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
      amount: '5',
    };
    assert.match(paymentSummary(request), /^5 base units of token TNPeea…YqeL → TNPeea…YqeL on Tron Nile/);
    assert.match(
      paymentSummary({
        ...request,
        asset: { kind: 'Trc20', contract: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', symbol: 'XT', decimals: 1 },
      }),
      /^0\.5 XT /,
    );
  });
});
