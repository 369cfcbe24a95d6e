import { defaultScreening, defaultTravelRule } from '../../../sandbox/src/compliance/compliance-config';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare, decimalFromNumber, formatDecimal, parseDecimal } from '../../../sandbox/src/policies/decimal';
import type { PolicyRule } from '../../../sandbox/src/policies/policy-schema';
import { evaluateRule, type RuleContext } from '../../../sandbox/src/policies/policy-rules';
import { toPriceTable, usdValue } from '../../../sandbox/src/policies/price-table';
import type { TransferRequest } from '../../../sandbox/src/wallets/transfer-schema';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const MINUTE = 60_000;
const RECIPIENT = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

function usdcTransfer(amount: string, ageMs = 0, status: TransferRequest['status'] = 'Confirmed'): TransferRequest {
  return {
    id: `xfr-${amount}-${ageMs}`,
    walletId: 'wa-1',
    network: 'EthereumSepolia',
    requester: { userId: 'us-1' },
    requestBody: { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', to: RECIPIENT, amount },
    metadata: { asset: { symbol: 'USDC', decimals: 6 } },
    status,
    dateRequested: new Date(NOW - ageMs).toISOString(),
  };
}

function ctx(
  transfer: TransferRequest,
  walletHistory: TransferRequest[] = [],
  prices: Record<string, number> = { USDC: 1, ETH: 3000 },
): RuleContext {
  return {
    transfer,
    walletHistory,
    prices: toPriceTable(prices),
    nowMs: NOW,
    windowMs: (minutes) => minutes * MINUTE,
    screening: defaultScreening(),
    travelRule: defaultTravelRule(),
  };
}

const amountLimit = (limit: number): PolicyRule => ({
  kind: 'TransactionAmountLimit',
  configuration: { limit, currency: 'USD' },
});
const countVelocity = (limit: number, timeframe: number): PolicyRule => ({
  kind: 'TransactionCountVelocity',
  configuration: { limit, timeframe },
});
const amountVelocity = (limit: number, timeframe: number): PolicyRule => ({
  kind: 'TransactionAmountVelocity',
  configuration: { limit, currency: 'USD', timeframe },
});

describe('exact decimals', () => {
  it('parses, compares and formats without float drift', () => {
    assert.deepEqual(parseDecimal('0.1'), { units: 1n, scale: 1 });
    assert.deepEqual(parseDecimal('1e-7'), { units: 1n, scale: 7 });
    assert.deepEqual(parseDecimal('2.5e3'), { units: 2500n, scale: 0 });
    assert.equal(parseDecimal('-1'), undefined);
    assert.equal(parseDecimal('abc'), undefined);
    assert.equal(formatDecimal(decimalFromNumber(0.1)), '0.1');
    // 0.1 + 0.2 as floats is 0.30000000000000004; as written decimals the comparison is exact.
    const sum = { units: 3n, scale: 1 };
    assert.equal(compare(sum, decimalFromNumber(0.3)), 0);
    assert.equal(formatDecimal({ units: 1_000_000n, scale: 6 }), '1');
    assert.equal(formatDecimal({ units: 1n, scale: 6 }), '0.000001');
  });

  it('values a transfer exactly from minimum units and the price table', () => {
    const value = usdValue(toPriceTable({ USDC: 1 }), usdcTransfer('10000001'));
    assert.ok(value);
    assert.equal(formatDecimal(value), '10.000001');
    assert.equal(usdValue(toPriceTable({}), usdcTransfer('1')), undefined);
  });
});

describe('policy rules', () => {
  it('TransactionAmountLimit: equal to the limit passes, one minimum unit above triggers', () => {
    const at = evaluateRule(amountLimit(10), ctx(usdcTransfer('10000000')));
    assert.deepEqual(at, { triggered: false, reason: 'Transaction amount (USD 10) is within limit (USD 10).' });
    const above = evaluateRule(amountLimit(10), ctx(usdcTransfer('10000001')));
    assert.deepEqual(above, { triggered: true, reason: 'Transaction amount (USD 10.000001) is above limit (USD 10).' });
  });

  it('amount rules fail closed when the asset has no price', () => {
    const verdict = evaluateRule(amountLimit(1_000_000), ctx(usdcTransfer('1'), [], { ETH: 3000 }));
    assert.equal(verdict.triggered, true);
    assert.match(verdict.reason, /No USD price for USDC.*fail closed/);
  });

  it('TransactionCountVelocity counts the current transfer, with > the limit', () => {
    const history = [usdcTransfer('1', 10_000)];
    assert.equal(evaluateRule(countVelocity(2, 1), ctx(usdcTransfer('1'), history)).triggered, false);
    const twoBefore = [...history, usdcTransfer('1', 20_000)];
    const verdict = evaluateRule(countVelocity(2, 1), ctx(usdcTransfer('1'), twoBefore));
    assert.deepEqual(verdict, { triggered: true, reason: 'Number of transactions (3) is above limit (2).' });
  });

  it('velocity window edges: 1 ms inside counts, exactly the timeframe old does not', () => {
    const inside = [usdcTransfer('1', MINUTE - 1), usdcTransfer('1', 5)];
    assert.equal(evaluateRule(countVelocity(2, 1), ctx(usdcTransfer('1'), inside)).triggered, true);
    const edge = [usdcTransfer('1', MINUTE), usdcTransfer('1', 5)];
    assert.equal(evaluateRule(countVelocity(2, 1), ctx(usdcTransfer('1'), edge)).triggered, false);
  });

  it('velocity ignores Rejected transfers but counts Pending and Failed ones', () => {
    const history = [usdcTransfer('1', 1000, 'Rejected'), usdcTransfer('1', 1000, 'Rejected')];
    assert.equal(evaluateRule(countVelocity(1, 1), ctx(usdcTransfer('1'), history)).triggered, false);
    const live = [usdcTransfer('1', 1000, 'Pending'), usdcTransfer('1', 1000, 'Failed')];
    assert.equal(evaluateRule(countVelocity(2, 1), ctx(usdcTransfer('1'), live)).triggered, true);
  });

  it('TransactionAmountVelocity sums USD exactly including the current transfer', () => {
    const history = [usdcTransfer('60000000', 1000), usdcTransfer('39999999', 2000)];
    const at = evaluateRule(amountVelocity(100, 60), ctx(usdcTransfer('1'), history));
    assert.deepEqual(at, {
      triggered: false,
      reason: 'Cumulative transfer amount (USD 100) is within limit (USD 100).',
    });
    const above = evaluateRule(amountVelocity(100, 60), ctx(usdcTransfer('2'), history));
    assert.equal(above.triggered, true);
    const old = [usdcTransfer('60000000', 60 * MINUTE), usdcTransfer('39999999', 2000)];
    assert.equal(evaluateRule(amountVelocity(100, 60), ctx(usdcTransfer('2'), old)).triggered, false);
  });

  it('TransactionRecipientWhitelist matches EVM addresses case-insensitively and triggers otherwise', () => {
    const rule = (addresses: string[]): PolicyRule => ({
      kind: 'TransactionRecipientWhitelist',
      configuration: { addresses },
    });
    assert.equal(evaluateRule(rule([RECIPIENT.toLowerCase()]), ctx(usdcTransfer('1'))).triggered, false);
    const other = evaluateRule(rule(['0x0000000000000000000000000000000000000001']), ctx(usdcTransfer('1')));
    assert.deepEqual(other, { triggered: true, reason: `Recipient ${RECIPIENT} is not in the whitelist.` });
    assert.equal(evaluateRule(rule([]), ctx(usdcTransfer('1'))).triggered, true);
  });

  it('AlwaysTrigger always triggers', () => {
    assert.equal(evaluateRule({ kind: 'AlwaysTrigger' }, ctx(usdcTransfer('1'))).triggered, true);
  });
});
