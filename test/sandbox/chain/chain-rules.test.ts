import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SandboxWallet } from '../../../sandbox/src/sandbox';
import { admin, dfnsFailure, startTestSandbox, waitForStatus, type Json, type TestSandbox } from '../helpers';

const TRON_TO = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const SOL_TO = '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5';

/**
 * The chain rules the sandbox enforces as the chains would, from each standard: amount types (EIP-20 and TIP-20
 * uint256, Tron's int64 sun, Solana's u64) and Bitcoin Core's dust threshold (`GetDustThreshold`,
 * src/policy/policy.cpp: 546 satoshis for P2PKH, 294 for P2WPKH at the default dust relay fee); and Token-2022.
 */
describe('chain rules in the sandbox', () => {
  let t: TestSandbox;
  const wallet = (network: string): SandboxWallet => {
    const found = t.bootstrap.wallets.find((entry) => entry.network === network && !entry.role);
    assert.ok(found, `no bootstrap wallet on ${network}`);
    return found;
  };
  const transfer = (walletId: string, body: Json) => t.dfns.wallets.transferAsset({ walletId, body });
  const refusal = async (walletId: string, body: Json) => {
    const error = await dfnsFailure(transfer(walletId, body));
    assert.equal(error.httpStatus, 400, JSON.stringify(body));
    return error.message;
  };

  before(async () => (t = await startTestSandbox({ timeScale: 100_000 })));
  after(async () => t?.close());
  beforeEach(async () => assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200));

  it('takes a TRC-20 amount as a uint256 (10 of an 18-decimal token) but native TRX only up to an int64', async () => {
    const tron = wallet('TronNile');
    const tenUsdd = { kind: 'Trc20', contract: tron.token?.id, to: TRON_TO, amount: '10000000000000000000' };
    const accepted = await transfer(tron.walletId, tenUsdd);
    // The wallet holds 10M USDT (6 decimals): the chain accepts the amount, the balance does not cover it.
    assert.match((await waitForStatus(t.dfns, tron.walletId, accepted.id, 'Failed')).reason ?? '', /Insufficient/);
    const tooLarge = { ...tenUsdd, amount: (1n << 256n).toString() };
    assert.match(await refusal(tron.walletId, tooLarge), /amount: exceeds the largest Trc20 amount .*uint256/);
    const trx = { kind: 'Native', to: TRON_TO, amount: (1n << 63n).toString() };
    assert.match(await refusal(tron.walletId, trx), /amount: exceeds the largest Native amount on TronNile \(int64\)/);
  });

  it('bounds lamports and SPL amounts by u64', async () => {
    const sol = wallet('SolanaDevnet');
    const u64 = (1n << 64n).toString();
    assert.match(await refusal(sol.walletId, { kind: 'Native', to: SOL_TO, amount: u64 }), /\(u64\)/);
    const spl = { kind: 'Spl', mint: sol.token?.id, to: SOL_TO, amount: u64, createDestinationAccount: true };
    assert.match(await refusal(sol.walletId, spl), /\(u64\)/);
  });

  it("refuses a Bitcoin output below the dust threshold of the recipient's output type", async () => {
    const btc = wallet('BitcoinSignet');
    // BIP-173's testnet P2WSH example, the Bitcoin wiki's testnet P2PKH and P2SH examples, and the wallet's own
    // P2WPKH address.
    const cases: [string, number][] = [
      ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 330],
      ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 546],
      ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 540],
      [btc.address, 294],
    ];
    for (const [to, threshold] of cases) {
      const message = await refusal(btc.walletId, { kind: 'Native', to, amount: String(threshold - 1) });
      assert.match(message, new RegExp(`amount: is dust: an output below ${threshold} satoshis`), to);
      const created = await transfer(btc.walletId, { kind: 'Native', to, amount: String(threshold) });
      await waitForStatus(t.dfns, btc.walletId, created.id, 'Confirmed');
    }
  });

  it('sends a Token-2022 mint as Spl2022 (docs.dfns.co/networks/solana), debiting that token', async () => {
    const sol = wallet('SolanaDevnet');
    const assets = (await t.dfns.wallets.getWalletAssets({ walletId: sol.walletId })).assets as Json[];
    const pyusd = assets.find((asset) => asset.kind === 'Spl2022');
    assert.equal(pyusd?.symbol, 'PYUSD');
    const body = { kind: 'Spl2022', mint: pyusd?.mint, to: SOL_TO, amount: '2500000', createDestinationAccount: true };
    const created = await transfer(sol.walletId, body);
    assert.deepEqual(created.metadata.asset.symbol, 'PYUSD');
    await waitForStatus(t.dfns, sol.walletId, created.id, 'Confirmed');
    const after = (await t.dfns.wallets.getWalletAssets({ walletId: sol.walletId })).assets as Json[];
    assert.equal(after.find((asset) => asset.kind === 'Spl2022')?.balance, String(10_000_000_000_000 - 2_500_000));
    const onTron = { ...body, to: TRON_TO };
    assert.match(await refusal(wallet('TronNile').walletId, onTron), /Spl2022 transfers are not supported on TronNile/);
  });
});
