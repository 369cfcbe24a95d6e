import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFieldErrors, type FieldError } from '../../src/contracts/field-errors';
import { paymentRequestSchema } from '../../src/contracts/payment-request';

const TRON_TO = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const SOL_TO = '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5';
const USDC_SOL = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const BTC_TO = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const TBTC_TO = 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7';
const EVM_TO = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

const base = { idempotencyKey: 'k-1', walletId: 'wa-1', amount: '1000000' };
const trc20 = { ...base, network: 'Tron', asset: { kind: 'Trc20', contract: USDT_TRON }, to: TRON_TO };
const spl = {
  ...base,
  network: 'Solana',
  asset: { kind: 'Spl', mint: USDC_SOL, createDestinationAccount: true },
  to: SOL_TO,
};
const btc = { ...base, network: 'Bitcoin', asset: { kind: 'Native' }, to: BTC_TO };

function issuesOf(input: unknown): FieldError[] {
  const parsed = paymentRequestSchema.safeParse(input);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(input)} to be refused`);
  assert.ok(!parsed.success);
  return toFieldErrors(parsed.error, { root: '(request)' });
}

function assertRefused(input: unknown, field: string, message: RegExp): void {
  const issues = issuesOf(input);
  assert.equal(issues.length, 1, JSON.stringify(issues));
  assert.equal(issues[0]?.field, field, JSON.stringify(issues));
  assert.match(issues[0]?.message ?? '', message);
}

describe('paymentRequestSchema on Tron, Solana and Bitcoin', () => {
  it('accepts TRC-20 and native TRX, SPL and native SOL, and native BTC on mainnets and testnets', () => {
    for (const request of [
      trc20,
      { ...trc20, network: 'TronNile', asset: { kind: 'Native' } },
      spl,
      { ...spl, network: 'SolanaDevnet', asset: { kind: 'Native' } },
      btc,
      { ...btc, network: 'BitcoinTestnet4', to: TBTC_TO },
      { ...btc, network: 'BitcoinSignet', to: 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn' },
    ]) {
      assert.deepEqual(paymentRequestSchema.parse(request), request);
    }
  });

  it("checks the recipient with the network's own codec", () => {
    assertRefused({ ...trc20, to: EVM_TO }, 'to', /Tron address/);
    assertRefused({ ...trc20, to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM' }, 'to', /Base58Check checksum/);
    assertRefused({ ...spl, to: TRON_TO }, 'to', /decodes to 25/);
    assertRefused({ ...btc, to: TBTC_TO }, 'to', /must start with bc1/);
    assertRefused({ ...btc, network: 'BitcoinTestnet3', to: BTC_TO }, 'to', /must start with tb1/);
    assertRefused({ ...btc, to: EVM_TO }, 'to', /Base58 or bech32/);
    assertRefused({ ...base, network: 'Base', asset: { kind: 'Native' }, to: TRON_TO }, 'to', /0x followed by 40 hex/);
  });

  it('checks the token identifier: a TRC-20 contract address, an SPL mint', () => {
    assertRefused({ ...trc20, asset: { kind: 'Trc20', contract: EVM_TO } }, 'asset.contract', /Tron address/);
    assertRefused({ ...spl, asset: { ...spl.asset, mint: 'not-a-mint' } }, 'asset.mint', /Solana address/);
  });

  it('refuses a token kind from another chain family, naming asset.kind', () => {
    assertRefused(
      { ...trc20, asset: { kind: 'Erc20', contract: USDT_TRON } },
      'asset.kind',
      /Erc20 is not a token kind on Tron \(Trc20 is\)/,
    );
    assertRefused(
      { ...btc, asset: { kind: 'Spl', mint: USDC_SOL, createDestinationAccount: false } },
      'asset.kind',
      /only Native/,
    );
    assertRefused(
      { ...base, network: 'Base', to: EVM_TO, asset: { kind: 'Trc20', contract: USDT_TRON } },
      'asset.kind',
      /Erc20 is/,
    );
  });

  it('requires the createDestinationAccount choice on SPL transfers', () => {
    assertRefused({ ...spl, asset: { kind: 'Spl', mint: USDC_SOL } }, 'asset.createDestinationAccount', /required/);
    assertRefused(
      { ...spl, asset: { ...spl.asset, createDestinationAccount: 'yes' } },
      'asset.createDestinationAccount',
      /required/,
    );
  });

  it('still bounds EVM amounts by uint256, with one message for a malformed amount', () => {
    const evm = { ...base, network: 'Base', asset: { kind: 'Native' }, to: EVM_TO };
    assert.equal(paymentRequestSchema.safeParse({ ...evm, amount: ((1n << 256n) - 1n).toString() }).success, true);
    assertRefused({ ...evm, amount: (1n << 256n).toString() }, 'amount', /uint256/);
    assertRefused({ ...btc, amount: '1.5' }, 'amount', /positive integer string/);
  });
});

describe('paymentRequestSchema: feeSponsorId', () => {
  const evm = { ...base, network: 'BaseSepolia', asset: { kind: 'Native' }, to: EVM_TO };

  it('accepts a fee sponsor on EVM networks Dfns lists', () => {
    const request = { ...evm, feeSponsorId: 'fs-1a2b3-c4d5e' };
    assert.deepEqual(paymentRequestSchema.parse(request), request);
  });

  // Dfns's Fee Sponsors page (https://docs.dfns.co/d/api-docs/fee-sponsors, "Supported networks") lists Solana and
  // SolanaDevnet; Solana was the first sponsored network (https://dfns.co/article/introducing-fee-sponsors).
  it('accepts a fee sponsor on Solana and Solana Devnet, native SOL and SPL alike', () => {
    for (const request of [spl, { ...spl, network: 'SolanaDevnet', asset: { kind: 'Native' } }]) {
      const sponsored = { ...request, feeSponsorId: 'fs-1' };
      assert.deepEqual(paymentRequestSchema.parse(sponsored), sponsored);
    }
  });

  it('refuses a fee sponsor where no Dfns list names the network (Polygon, Tron, Bitcoin)', () => {
    for (const request of [
      trc20,
      btc,
      { ...evm, network: 'Polygon' },
      { ...evm, network: 'PolygonAmoy' },
      { ...trc20, network: 'TronNile', asset: { kind: 'Native' } },
    ]) {
      assertRefused({ ...request, feeSponsorId: 'fs-1' }, 'feeSponsorId', /not available on (Tron|Polygon|Bitcoin)/);
    }
  });

  it('refuses something that is not a fee sponsor id', () => {
    assertRefused({ ...evm, feeSponsorId: 'wa-1' }, 'feeSponsorId', /fee sponsor id \(fs-…\)/);
  });
});
