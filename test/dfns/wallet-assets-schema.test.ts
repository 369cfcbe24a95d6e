import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { balanceOf, dfnsWalletAssetsSchema } from '../../src/dfns/wallet-assets-schema';

// A Solana wallet's assets as Dfns lists them (@dfns/sdk's GetWalletAssetsResponse: `Spl` and `Spl2022` entries carry
// a `mint`); USDC is an SPL mint, PYUSD a Token-2022 one.
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const PYUSD = '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo';
const assets = dfnsWalletAssetsSchema.parse({
  walletId: 'wa-1',
  network: 'Solana',
  assets: [
    { kind: 'Native', symbol: 'SOL', decimals: 9, balance: '5000000000' },
    { kind: 'Spl', mint: USDC, symbol: 'USDC', decimals: 6, balance: '7000000' },
    { kind: 'Spl2022', mint: PYUSD, symbol: 'PYUSD', decimals: 6, balance: '9000000' },
  ],
});

describe('balanceOf', () => {
  it('finds an SPL and a Token-2022 balance by kind and mint', () => {
    assert.equal(balanceOf(assets, { kind: 'Native' }), '5000000000');
    assert.equal(balanceOf(assets, { kind: 'Spl', mint: USDC, createDestinationAccount: true }), '7000000');
    assert.equal(balanceOf(assets, { kind: 'Spl2022', mint: PYUSD, createDestinationAccount: true }), '9000000');
  });

  it('counts a mint under the other kind as none held', () => {
    assert.equal(balanceOf(assets, { kind: 'Spl', mint: PYUSD, createDestinationAccount: true }), '0');
  });
});
