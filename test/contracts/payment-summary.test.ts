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
    const request: PaymentRequest = { ...usdc, asset: { kind: 'Native' }, network: 'Polygon', amount: '2500000000000000000' };
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
    assert.equal(paymentSummary(request), '1500000 base units of token 0x5aAe…eAed → 0xfB69…d359 on Ethereum Sepolia (payout 123)');
  });

  it('formats amounts above 2^53 exactly', () => {
    const request: PaymentRequest = { ...usdc, asset: { kind: 'Native' }, network: 'Base', amount: '123456789012345678901234567' };
    assert.equal(paymentSummary(request), '123456789.012345678901234567 ETH → 0xfB69…d359 on Base (payout 123)');
  });
});

describe('displayAsset', () => {
  it('uses the network’s native symbol and decimals for Native', () => {
    assert.deepEqual(displayAsset({ ...usdc, asset: { kind: 'Native' }, network: 'ArbitrumOne' }), { symbol: 'ETH', decimals: 18 });
  });

  it('uses the request’s symbol and decimals for Erc20', () => {
    assert.deepEqual(displayAsset(usdc), { symbol: 'USDC', decimals: 6 });
  });
});
