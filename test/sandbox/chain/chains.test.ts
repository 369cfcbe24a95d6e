import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SandboxWallet } from '../../../sandbox/src/sandbox';
import {
  admin,
  deliveries,
  dfnsFailure,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';

// Recipients: published example addresses of each chain (Tron's API docs, Solana's docs, BIP-173 testnet).
const TRON_TO = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const SOL_TO = '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5';
const BTC_TO = 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7';

describe('Tron, Solana and Bitcoin in the sandbox', () => {
  let t: TestSandbox;
  const wallet = (network: string): SandboxWallet => {
    const found = t.bootstrap.wallets.find((entry) => entry.network === network && !entry.role);
    assert.ok(found, `no bootstrap wallet on ${network}`);
    return found;
  };
  const balances = async (walletId: string) =>
    Object.fromEntries((await t.dfns.wallets.getWalletAssets({ walletId })).assets.map((a) => [a.symbol, a.balance]));
  const transfer = (walletId: string, body: Json) => t.dfns.wallets.transferAsset({ walletId, body });

  // Bitcoin's 10-minute blocks become 6 ms.
  before(async () => (t = await startTestSandbox({ timeScale: 100_000 })));
  after(async () => t?.close());
  beforeEach(async () => assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200));

  it('bootstraps a funded wallet per chain, with an address of that chain and its assets in their decimals', async () => {
    const tron = wallet('TronNile');
    const sol = wallet('SolanaDevnet');
    const btc = wallet('BitcoinSignet');
    assert.match(tron.address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    assert.match(sol.address, /^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    assert.match(btc.address, /^tb1q[02-9ac-hj-np-z]{38}$/);
    assert.deepEqual(tron.token, {
      kind: 'Trc20',
      id: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
      symbol: 'USDT',
      decimals: 6,
    });
    assert.deepEqual(sol.token, {
      kind: 'Spl',
      id: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
      symbol: 'USDC',
      decimals: 6,
    });
    assert.equal(btc.token, undefined);
    assert.deepEqual(
      [tron.native, sol.native, btc.native],
      [
        { symbol: 'TRX', decimals: 6 },
        { symbol: 'SOL', decimals: 9 },
        { symbol: 'BTC', decimals: 8 },
      ],
    );
    assert.deepEqual(await balances(tron.walletId), { TRX: '10000000000', USDT: '10000000000000' });
    assert.deepEqual(await balances(sol.walletId), {
      SOL: '100000000000',
      USDC: '10000000000000',
      PYUSD: '10000000000000',
    });
    assert.deepEqual(await balances(btc.walletId), { BTC: '100000000' });
    const solWallet = await t.dfns.wallets.getWallet({ walletId: sol.walletId });
    assert.equal(solWallet.signingKey.curve, 'ed25519');
  });

  it('confirms a TRC-20, an SPL and a BTC transfer, each charging its chain fee; Tron sends no confirmed webhook', async () => {
    const tron = wallet('TronNile');
    const sol = wallet('SolanaDevnet');
    const btc = wallet('BitcoinSignet');
    const usdt = await transfer(tron.walletId, {
      kind: 'Trc20',
      contract: tron.token?.id,
      to: TRON_TO,
      amount: '2500000',
    });
    const usdc = await transfer(sol.walletId, {
      kind: 'Spl',
      mint: sol.token?.id,
      to: SOL_TO,
      amount: '1000000',
      createDestinationAccount: true,
    });
    const sats = await transfer(btc.walletId, { kind: 'Native', to: BTC_TO, amount: '50000' });
    const done = await Promise.all([
      waitForStatus(t.dfns, tron.walletId, usdt.id, 'Confirmed'),
      waitForStatus(t.dfns, sol.walletId, usdc.id, 'Confirmed'),
      waitForStatus(t.dfns, btc.walletId, sats.id, 'Confirmed'),
    ]);
    // Tron: 345 bandwidth at 1,000 sun and 65,000 energy at 210 sun; Solana: a signature and a token account's rent;
    // Bitcoin: 141 vB at the Standard 5 sat/vB.
    assert.deepEqual(
      done.map((x) => x.fee),
      ['13995000', '2044280', '705'],
    );
    assert.deepEqual(
      done.map((x) => x.metadata.asset.decimals),
      [6, 6, 8],
    );
    assert.deepEqual(await balances(tron.walletId), {
      TRX: String(10_000_000_000 - 13_995_000),
      USDT: String(10_000_000_000_000 - 2_500_000),
    });
    assert.deepEqual(await balances(btc.walletId), { BTC: String(100_000_000 - 50_000 - 705) });
    const confirmed = await waitFor(() => {
      const ids = deliveries(t.receiver, 'wallet.transfer.confirmed').map(
        (r) => (r.json.data as Json).transferRequest.id,
      );
      return ids.length === 2 ? ids : undefined;
    });
    assert.deepEqual([...confirmed].sort(), [usdc.id, sats.id].sort());
  });

  it("refuses, with Dfns-shaped 400s, kinds a chain does not have and addresses not of the wallet's chain", async () => {
    const tron = wallet('TronNile');
    const sol = wallet('SolanaDevnet');
    const btc = wallet('BitcoinSignet');
    const cases: [string, Json, RegExp][] = [
      [
        tron.walletId,
        { kind: 'Erc20', contract: TRON_TO, to: TRON_TO, amount: '1' },
        /Erc20 transfers are not supported on TronNile/,
      ],
      [
        tron.walletId,
        { kind: 'Native', to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', amount: '1' },
        /not a valid Tron address/,
      ],
      [
        tron.walletId,
        { kind: 'Native', to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM', amount: '1' },
        /not a valid Tron address/,
      ],
      [
        sol.walletId,
        { kind: 'Spl', mint: 'So11111111111111111111111111111111111111112', to: SOL_TO, amount: '1' },
        /unknown Spl mint/,
      ],
      [sol.walletId, { kind: 'Native', to: TRON_TO, amount: '1' }, /not a valid Solana address/],
      [
        btc.walletId,
        { kind: 'Spl', mint: SOL_TO, to: BTC_TO, amount: '1' },
        /Spl transfers are not supported on BitcoinSignet/,
      ],
      [
        btc.walletId,
        { kind: 'Native', to: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', amount: '1' },
        /not a valid Bitcoin testnet address/,
      ],
      [
        btc.walletId,
        { kind: 'Native', to: BTC_TO, amount: '1000', feeSponsorId: t.bootstrap.feeSponsors[0]?.feeSponsorId },
        /fee sponsors are not supported on BitcoinSignet/,
      ],
    ];
    for (const [walletId, body, message] of cases) {
      const error = await dfnsFailure(transfer(walletId, body));
      assert.equal(error.httpStatus, 400, JSON.stringify(body));
      assert.match(error.message, message, JSON.stringify(body));
    }
    assert.equal((await admin(t.sandbox.url, 'GET', '/transfers')).body.items.length, 0, 'nothing was created');
  });

  it('fails a Solana transfer whose blockhash expired with nothing on chain, and one needing a token account it may not create', async () => {
    const sol = wallet('SolanaDevnet');
    assert.equal(
      (await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'expire-blockhash', count: 1 })).status,
      200,
    );
    const expired = await transfer(sol.walletId, { kind: 'Native', to: SOL_TO, amount: '1000' });
    const failed = await waitForStatus(t.dfns, sol.walletId, expired.id, 'Failed');
    assert.match(failed.reason ?? '', /blockhash not found/);
    assert.equal(failed.txHash, undefined);
    const noAccount = await transfer(sol.walletId, {
      kind: 'Spl',
      mint: sol.token?.id,
      to: SOL_TO,
      amount: '1',
      createDestinationAccount: false,
    });
    const refused = await waitForStatus(t.dfns, sol.walletId, noAccount.id, 'Failed');
    assert.match(refused.reason ?? '', /no token account/);
    assert.equal(refused.txHash, undefined);
    assert.deepEqual(
      await balances(sol.walletId),
      { SOL: '100000000000', USDC: '10000000000000', PYUSD: '10000000000000' },
      'nothing was spent',
    );
  });

  it('runs a Tron wallet out of energy (mined, OUT_OF_ENERGY, TRX burned) and then out of bandwidth (nothing sent)', async () => {
    const tron = wallet('TronNile');
    // Leave 5 TRX: enough for bandwidth, not for a TRC-20 call's ~13.65 TRX of energy.
    const drain = await transfer(tron.walletId, {
      kind: 'Native',
      to: TRON_TO,
      amount: String(10_000_000_000 - 267_000 - 5_000_000),
    });
    await waitForStatus(t.dfns, tron.walletId, drain.id, 'Confirmed');
    const usdt = { kind: 'Trc20', contract: tron.token?.id, to: TRON_TO, amount: '1000000' };
    const outOfEnergy = await waitForStatus(t.dfns, tron.walletId, (await transfer(tron.walletId, usdt)).id, 'Failed');
    assert.match(outOfEnergy.reason ?? '', /OUT_OF_ENERGY/);
    assert.ok(outOfEnergy.txHash, 'it reached the chain');
    assert.equal(outOfEnergy.fee, '5000000');
    assert.deepEqual(
      await balances(tron.walletId),
      { TRX: '0', USDT: '10000000000000' },
      'the TRX burned, the USDT stayed',
    );
    const noBandwidth = await waitForStatus(t.dfns, tron.walletId, (await transfer(tron.walletId, usdt)).id, 'Failed');
    assert.match(noBandwidth.reason ?? '', /Account resource insufficient/);
    assert.equal(noBandwidth.txHash, undefined);
  });

  it('speeds up a stuck Bitcoin transfer by replace-by-fee; Tron and Solana transfers cannot be sped up', async () => {
    const btc = wallet('BitcoinSignet');
    assert.equal((await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 })).status, 200);
    const created = await transfer(btc.walletId, { kind: 'Native', to: BTC_TO, amount: '10000' });
    const stuck = await waitForStatus(t.dfns, btc.walletId, created.id, 'Broadcasted');
    const replacement: Json = await t.dfns.wallets.speedUpTransfer({ walletId: btc.walletId, transferId: created.id });
    assert.equal(replacement.requestBody.txHash, stuck.txHash);
    assert.equal(replacement.fee, String(141 * 10), 'Standard 5 sat/vB bumped to the Fast 10 sat/vB');
    const confirmed = await waitForStatus(t.dfns, btc.walletId, created.id, 'Confirmed');
    assert.equal(confirmed.txHash, replacement.txHash);
    assert.deepEqual(await balances(btc.walletId), { BTC: String(100_000_000 - 10_000 - 1410) });

    for (const network of ['TronNile', 'SolanaDevnet']) {
      const { walletId } = wallet(network);
      const to = network === 'TronNile' ? TRON_TO : SOL_TO;
      await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 });
      const other = await transfer(walletId, { kind: 'Native', to, amount: '1000' });
      await waitForStatus(t.dfns, walletId, other.id, 'Broadcasted');
      const error = await dfnsFailure(t.dfns.wallets.speedUpTransfer({ walletId, transferId: other.id }));
      assert.equal(error.httpStatus, 400);
      assert.match(error.message, /only on EVM and Bitcoin networks/);
    }
  });
});
