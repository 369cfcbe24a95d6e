import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  dfnsFailure,
  RECIPIENT,
  startTestSandbox,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';

describe('fee sponsors', () => {
  let t: TestSandbox;
  const byRole = (role: string) => {
    const found = t.bootstrap.wallets.find((wallet) => wallet.role === role);
    assert.ok(found, `no ${role} wallet`);
    return found;
  };
  const nativeOf = async (walletId: string) =>
    (await t.dfns.wallets.getWalletAssets({ walletId })).assets.find((asset) => asset.kind === 'Native')?.balance;
  const sponsorId = () => t.bootstrap.feeSponsors[0]?.feeSponsorId ?? '';
  const usdc = (extra: Json = {}) => ({
    kind: 'Erc20' as const,
    contract: t.bootstrap.erc20.contract,
    to: RECIPIENT,
    amount: '1000000',
    ...extra,
  });

  before(async () => (t = await startTestSandbox({ timeScale: 1000 })));
  after(async () => t?.close());
  beforeEach(async () => assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200));

  it('lists the bootstrap sponsor and creates one for an EVM wallet, refusing a Tron wallet', async () => {
    const listed = await t.dfns.feeSponsors.listFeeSponsors();
    const solanaSponsor = t.bootstrap.feeSponsors.find((s) => s.network === 'SolanaDevnet');
    assert.ok(solanaSponsor);
    assert.deepEqual(listed.items.map((s) => [s.id, s.network, s.status, s.walletId]).reverse(), [
      [sponsorId(), 'EthereumSepolia', 'Active', byRole('fee-sponsor').walletId],
      [solanaSponsor.feeSponsorId, 'SolanaDevnet', 'Active', solanaSponsor.walletId],
    ]);
    const base = t.bootstrap.wallets.find((wallet) => wallet.network === 'BaseSepolia');
    assert.ok(base);
    const created = await t.dfns.feeSponsors.createFeeSponsor({
      body: { walletId: base.walletId, name: 'base payer' },
    });
    assert.match(created.id, /^fs-/);
    assert.equal(created.network, 'BaseSepolia');
    assert.equal((await t.dfns.feeSponsors.getFeeSponsor({ feeSponsorId: created.id })).status, 'Active');
    const tron = t.bootstrap.wallets.find((wallet) => wallet.network === 'TronNile');
    assert.ok(tron);
    const error = await dfnsFailure(t.dfns.feeSponsors.createFeeSponsor({ body: { walletId: tron.walletId } }));
    assert.equal(error.httpStatus, 400);
    assert.match(error.message, /not supported on TronNile/);
  });

  it('a sponsored transfer from a wallet with no ETH confirms; the sponsor pays the gas', async () => {
    const gasless = byRole('gasless');
    const payer = byRole('fee-sponsor');
    assert.equal(await nativeOf(gasless.walletId), '0');
    const before = BigInt((await nativeOf(payer.walletId)) ?? '0');

    const unsponsored = await t.dfns.wallets.transferAsset({ walletId: gasless.walletId, body: usdc() });
    assert.match(
      (await waitForStatus(t.dfns, gasless.walletId, unsponsored.id, 'Failed')).reason ?? '',
      /Insufficient balance/,
    );

    const sponsored = await t.dfns.wallets.transferAsset({
      walletId: gasless.walletId,
      body: usdc({ feeSponsorId: sponsorId() }),
    });
    assert.equal((sponsored.requestBody as Json).feeSponsorId, sponsorId());
    const confirmed = await waitForStatus(t.dfns, gasless.walletId, sponsored.id, 'Confirmed');
    assert.equal(await nativeOf(gasless.walletId), '0');
    assert.equal(BigInt((await nativeOf(payer.walletId)) ?? '0'), before - BigInt(confirmed.fee ?? '0'));
  });

  // Dfns's Fee Sponsors page lists Solana and SolanaDevnet (https://docs.dfns.co/d/api-docs/fee-sponsors).
  it('sponsors Solana: SPL and Token-2022 transfers whose signature fee and token-account rent the sponsor pays', async () => {
    const sponsor = t.bootstrap.feeSponsors.find((s) => s.network === 'SolanaDevnet');
    const sol = t.bootstrap.wallets.find((w) => w.network === 'SolanaDevnet' && !w.role);
    assert.ok(sponsor && sol);
    const solBefore = await nativeOf(sol.walletId);
    const sponsorBefore = BigInt((await nativeOf(sponsor.walletId)) ?? '0');
    const assets = (await t.dfns.wallets.getWalletAssets({ walletId: sol.walletId })).assets as Json[];
    const mintOf = (kind: string) => assets.find((asset) => asset.kind === kind)?.mint as string;
    let fees = 0n;
    for (const kind of ['Spl', 'Spl2022'] as const) {
      const body = {
        kind,
        mint: mintOf(kind),
        to: '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5',
        amount: '1000000',
        createDestinationAccount: true,
        feeSponsorId: sponsor.feeSponsorId,
      } as const;
      const created = await t.dfns.wallets.transferAsset({ walletId: sol.walletId, body });
      const confirmed = await waitForStatus(t.dfns, sol.walletId, created.id, 'Confirmed');
      fees += BigInt(confirmed.fee ?? '0');
    }
    assert.equal(fees, 2n * (5_000n + 2_039_280n), 'two signature fees and two token-account rents');
    assert.equal(await nativeOf(sol.walletId), solBefore, 'the sponsored wallet spent no SOL');
    assert.equal(BigInt((await nativeOf(sponsor.walletId)) ?? '0'), sponsorBefore - fees);
  });

  it('refuses a sponsor that cannot pay, naming it in the error details', async () => {
    const gasless = byRole('gasless');
    await t.dfns.feeSponsors.deactivateFeeSponsor({ feeSponsorId: sponsorId() });
    const deactivated = await dfnsFailure(
      t.dfns.wallets.transferAsset({ walletId: gasless.walletId, body: usdc({ feeSponsorId: sponsorId() }) }),
    );
    assert.equal(deactivated.httpStatus, 400);
    assert.match(deactivated.message, /feeSponsorId: the fee sponsor is Deactivated/);
    assert.equal((deactivated.context as Json).body.error.details.feeSponsorId, sponsorId());

    const unknown = await dfnsFailure(
      t.dfns.wallets.transferAsset({ walletId: gasless.walletId, body: usdc({ feeSponsorId: 'fs-nope' }) }),
    );
    assert.equal((unknown.context as Json).body.error.details.feeSponsorId, 'fs-nope');

    await t.dfns.feeSponsors.activateFeeSponsor({ feeSponsorId: sponsorId() });
    // Drain the sponsor's wallet: the next sponsored transfer is refused before anything exists.
    const payer = byRole('fee-sponsor');
    const all = BigInt((await nativeOf(payer.walletId)) ?? '0') - 21_000n * 2_000_000_000n;
    const drain = await t.dfns.wallets.transferAsset({
      walletId: payer.walletId,
      body: { kind: 'Native', to: RECIPIENT, amount: all.toString() },
    });
    await waitForStatus(t.dfns, payer.walletId, drain.id, 'Confirmed');
    const broke = await dfnsFailure(
      t.dfns.wallets.transferAsset({ walletId: gasless.walletId, body: usdc({ feeSponsorId: sponsorId() }) }),
    );
    assert.match(broke.message, /cannot pay the network fee/);
  });
});
