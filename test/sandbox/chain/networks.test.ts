import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveries, sendNative, startTestSandbox, waitFor, waitForStatus, type Json } from '../helpers';

describe('networks', () => {
  it('BaseSepolia transfers reach Confirmed on GET but send no wallet.transfer.confirmed; its USDC is distinct', async () => {
    const t = await startTestSandbox({ timeScale: 1000 });
    try {
      const base = t.bootstrap.wallets.find((wallet) => wallet.network === 'BaseSepolia');
      assert.ok(base);
      assert.equal(base.emitsConfirmed, false);
      assert.ok(base.erc20);
      assert.notEqual(base.erc20.contract.toLowerCase(), t.bootstrap.erc20.contract.toLowerCase());
      const { assets } = await t.dfns.wallets.getWalletAssets({ walletId: base.walletId });
      assert.deepEqual(
        assets.map((asset) => [asset.symbol, asset.balance]),
        [
          ['ETH', (100n * 10n ** 18n).toString()],
          ['USDC', (10_000_000n * 10n ** 6n).toString()],
        ],
      );
      const body = {
        kind: 'Erc20' as const,
        contract: base.erc20.contract,
        to: t.bootstrap.walletAddress,
        amount: '1000000',
      };
      const created = await t.dfns.wallets.transferAsset({ walletId: base.walletId, body });
      assert.equal(created.network, 'BaseSepolia');
      const confirmed = await waitForStatus(t.dfns, base.walletId, created.id, 'Confirmed');
      assert.ok(confirmed.dateConfirmed);
      // A comparison transfer on EthereumSepolia does send its confirmed event.
      const eth = await sendNative(t.dfns, t.bootstrap.walletId, '1');
      await waitForStatus(t.dfns, t.bootstrap.walletId, eth.id, 'Confirmed');
      await waitFor(() => (deliveries(t.receiver, 'wallet.transfer.confirmed').length === 1 ? true : undefined));
      const ids = deliveries(t.receiver, 'wallet.transfer.confirmed').map(
        (r) => (r.json.data as Json).transferRequest.id,
      );
      assert.deepEqual(ids, [eth.id]);
      assert.equal(deliveries(t.receiver, 'wallet.transfer.broadcasted').length, 2);
      // The EthereumSepolia wallet's token contract is unknown on BaseSepolia.
      const wrong = { ...body, contract: t.bootstrap.erc20.contract };
      await assert.rejects(
        t.dfns.wallets.transferAsset({ walletId: base.walletId, body: wrong }),
        /unknown Erc20 contract/,
      );
    } finally {
      await t.close();
    }
  });
});
