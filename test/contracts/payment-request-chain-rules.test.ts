import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFieldErrors, type FieldError } from '../../src/contracts/field-errors';
import { paymentRequestSchema } from '../../src/contracts/payment-request';
import { paymentSummary } from '../../src/contracts/payment-summary';

const base = { idempotencyKey: 'k-1', walletId: 'wa-1', amount: '1000000' };
// Tron's API docs' example account; the USDT contract (TRC-20) on Tron.
const TRON_TO = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
// Circle's USDC contract on Ethereum and an EIP-55 vector as recipient.
const USDC_ETH = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
const EVM_TO = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const USDC_SOL = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
// PayPal USD, a Token-2022 mint on Solana.
const PYUSD_SOL = '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo';
// @solana/spl-token's test vectors: a wallet (on the curve) and its associated token account (a PDA, off it).
const SOL_WALLET = 'B8UwBUUnKwCyKuGMbFKWaG7exYdDk2ozZrPg72NyVbfj';
const SOL_PDA = 'DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n';

const trc20 = { ...base, network: 'Tron', asset: { kind: 'Trc20', contract: USDT_TRON }, to: TRON_TO };
const trx = { ...trc20, asset: { kind: 'Native' } };
const erc20 = { ...base, network: 'Ethereum', asset: { kind: 'Erc20', contract: USDC_ETH }, to: EVM_TO };
const spl = (extra: object = {}, to = SOL_WALLET) => ({
  ...base,
  network: 'Solana',
  asset: { kind: 'Spl', mint: USDC_SOL, createDestinationAccount: true, ...extra },
  to,
});
const btc = (to: string, amount: string, network = 'Bitcoin') => ({
  ...base,
  network,
  asset: { kind: 'Native' },
  to,
  amount,
});

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

const accepted = (input: object) => assert.deepEqual(paymentRequestSchema.parse(input), input);

describe('amount bounds per asset kind, from each token standard', () => {
  it('takes a TRC-20 amount as TIP-20 does, a uint256: 10 of an 18-decimal token (10 USDD) passes', () => {
    // TIP-20 (https://github.com/tronprotocol/tips/blob/master/tip-20.md): transfer(address _to, uint256 _value).
    accepted({ ...trc20, amount: '10000000000000000000' });
    accepted({ ...trc20, amount: ((1n << 256n) - 1n).toString() });
    assertRefused({ ...trc20, amount: (1n << 256n).toString() }, 'amount', /uint256/);
  });

  it('keeps native TRX at int64 (sun), the amount of a TransferContract', () => {
    accepted({ ...trx, amount: ((1n << 63n) - 1n).toString() });
    assertRefused({ ...trx, amount: '10000000000000000000' }, 'amount', /too large for an int64 \(TRX in sun\)/);
  });

  it('bounds ERC-20 and wei by uint256 (EIP-20), SPL, Token-2022 and lamports by u64, BTC by 21 million', () => {
    const u64 = (1n << 64n) - 1n;
    const cases: [object, bigint, RegExp][] = [
      [erc20, (1n << 256n) - 1n, /uint256/],
      [spl(), u64, /too large for a u64 \(SPL token amount\)/],
      [{ ...spl(), asset: { kind: 'Spl2022', mint: PYUSD_SOL, createDestinationAccount: true } }, u64, /u64/],
      [{ ...spl(), asset: { kind: 'Native' } }, u64, /too large for a u64 \(lamports\)/],
      [btc('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1'), 2_100_000_000_000_000n, /21 million BTC/],
    ];
    for (const [request, max, message] of cases) {
      accepted({ ...request, amount: max.toString() });
      assertRefused({ ...request, amount: (max + 1n).toString() }, 'amount', message);
    }
  });
});

describe("Bitcoin dust: Bitcoin Core's relay threshold per output type of the recipient", () => {
  // Thresholds from Bitcoin Core's GetDustThreshold (src/policy/policy.cpp); addresses from BIP-173, BIP-350 and the
  // Bitcoin wiki. The same policy applies on the test networks.
  const cases: [string, string, number][] = [
    ['Bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 546],
    ['Bitcoin', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 540],
    ['Bitcoin', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 294],
    ['Bitcoin', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 330],
    ['Bitcoin', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 330],
    ['BitcoinSignet', 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 546],
    ['BitcoinTestnet3', '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 540],
    ['BitcoinTestnet4', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 330],
    ['BitcoinSignet', 'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', 330],
  ];
  for (const [network, to, threshold] of cases) {
    it(`refuses ${threshold - 1} and accepts ${threshold} satoshis to ${to.slice(0, 10)}… on ${network}`, () => {
      accepted(btc(to, String(threshold), network));
      assertRefused(
        btc(to, String(threshold - 1), network),
        'amount',
        new RegExp(`must be at least ${threshold} satoshis to a P2\\w+ address: a smaller output is dust`),
      );
    });
  }
});

describe("a payment to the token's own contract or mint is refused", () => {
  it('on EVM, whatever the checksum case', () => {
    assertRefused({ ...erc20, to: USDC_ETH }, 'to', /the token's own contract: tokens sent there are locked/);
    assertRefused({ ...erc20, to: USDC_ETH.toLowerCase() }, 'to', /token's own contract/);
  });

  it('on Tron and on Solana', () => {
    assertRefused({ ...trc20, to: USDT_TRON }, 'to', /token's own contract/);
    assertRefused(spl({ createDestinationAccount: false }, USDC_SOL), 'to', /token's own mint/);
  });

  it('but a native payment to a contract address is the caller’s business', () => {
    accepted({ ...erc20, asset: { kind: 'Native' }, to: USDC_ETH });
  });
});

describe('SPL to an off-curve owner (a program-derived address)', () => {
  it('is refused when its token account would be created, naming `to`', () => {
    assertRefused(spl({}, SOL_PDA), 'to', /off the ed25519 curve .*set asset.allowOwnerOffCurve/);
    assertRefused(
      { ...spl({}, SOL_PDA), asset: { kind: 'Spl2022', mint: PYUSD_SOL, createDestinationAccount: true } },
      'to',
      /off the ed25519 curve/,
    );
  });

  it('is accepted with the explicit opt-in (a multisig vault), or when the account already exists', () => {
    accepted(spl({ allowOwnerOffCurve: true }, SOL_PDA));
    accepted(spl({ createDestinationAccount: false }, SOL_PDA));
  });

  it('does not concern native SOL, nor an on-curve wallet', () => {
    accepted({ ...spl({}, SOL_PDA), asset: { kind: 'Native' } });
    accepted(spl());
  });

  it('refuses an opt-in that is not a boolean', () => {
    assertRefused(spl({ allowOwnerOffCurve: 'yes' }, SOL_PDA), 'asset.allowOwnerOffCurve', /true or false/);
  });
});

describe('Spl2022: Token-2022 mints', () => {
  const pyusd = { kind: 'Spl2022', mint: PYUSD_SOL, createDestinationAccount: false };

  it('are accepted on Solana with a mint and the createDestinationAccount choice', () => {
    accepted({ ...spl(), asset: pyusd });
    // The mint of @solana/spl-token's test vectors, unknown here: any Token-2022 mint may go out as Spl2022.
    accepted({
      ...spl(),
      network: 'SolanaDevnet',
      asset: { ...pyusd, mint: '7o36UsWR1JQLpZ9PE2gn9L4SQ69CNNiWAXd4Jt7rqz9Z' },
    });
  });

  it('are refused on other chains and without createDestinationAccount', () => {
    assertRefused({ ...trc20, asset: pyusd }, 'asset.kind', /Spl2022 is not a token kind on Tron \(Trc20 is\)/);
    assertRefused(
      { ...spl(), asset: { kind: 'Spl2022', mint: PYUSD_SOL } },
      'asset.createDestinationAccount',
      /required/,
    );
  });

  it('a known Token-2022 mint sent as Spl is refused, and a known SPL mint as Spl2022', () => {
    assertRefused({ ...spl(), asset: { ...pyusd, kind: 'Spl' } }, 'asset.kind', /must be Spl2022: .* is PYUSD/);
    assertRefused(
      { ...spl(), asset: { kind: 'Spl2022', mint: USDC_SOL, createDestinationAccount: true } },
      'asset.kind',
      /must be Spl: .* is USDC/,
    );
  });
});

describe('known tokens: the caller cannot override their decimals or symbol', () => {
  it('refuses decimals or a symbol that differ from the known token, naming the field', () => {
    assertRefused({ ...trc20, asset: { ...trc20.asset, decimals: 18 } }, 'asset.decimals', /must be 6 \(USDT's own\)/);
    assertRefused({ ...trc20, asset: { ...trc20.asset, symbol: 'USDD' } }, 'asset.symbol', /must be USDT/);
    assertRefused(
      { ...erc20, asset: { ...erc20.asset, contract: USDC_ETH.toLowerCase(), decimals: 18 } },
      'asset.decimals',
      /must be 6/,
    );
  });

  it("accepts the token's own values, and summarises with them whatever the caller left out", () => {
    accepted({ ...trc20, asset: { ...trc20.asset, symbol: 'USDT', decimals: 6 } });
    const request = paymentRequestSchema.parse({ ...trc20, amount: '2500000' });
    assert.equal(paymentSummary(request), '2.5 USDT → TNPeea…YqeL on Tron');
  });

  it('still takes the caller’s decimals and symbol for a token it does not know', () => {
    const unknown = {
      ...erc20,
      asset: { kind: 'Erc20', contract: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', symbol: 'XYZ', decimals: 2 },
    };
    assert.equal(paymentSummary(paymentRequestSchema.parse(unknown)), '10000 XYZ → 0xfB69…d359 on Ethereum');
  });
});
