import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amountProblem, formatUnits, MAX_UINT256 } from '../../src/contracts/amount';

const TWO_POW_256 = '115792089237316195423570985008687907853269984665640564039457584007913129639936';
const TWO_POW_256_MINUS_1 = '115792089237316195423570985008687907853269984665640564039457584007913129639935';

describe('amountProblem', () => {
  it('MAX_UINT256 is 2^256 - 1', () => {
    assert.equal(MAX_UINT256.toString(), TWO_POW_256_MINUS_1);
  });

  for (const ok of ['1', '1500000', '9007199254740993', TWO_POW_256_MINUS_1]) {
    it(`accepts ${ok}`, () => {
      assert.equal(amountProblem(ok), undefined);
    });
  }

  const notInteger = /must be a positive integer string/;
  const refused: [string, string, RegExp][] = [
    ['negative', '-1', notInteger],
    ['plus sign', '+1', notInteger],
    ['decimal', '1.5', notInteger],
    ['trailing dot', '1.', notInteger],
    ['non-numeric', 'abc', notInteger],
    ['hex', '0x10', notInteger],
    ['exponent', '1e18', notInteger],
    ['leading zero', '007', notInteger],
    ['whitespace', ' 1', notInteger],
    ['empty', '', notInteger],
    ['zero', '0', /must be greater than zero/],
    ['2^256', TWO_POW_256, /too large for a uint256/],
    ['79 digits', `1${'0'.repeat(78)}`, /too large for a uint256/],
    ['10,000 digits', '9'.repeat(10_000), /too large for a uint256/],
  ];
  for (const [why, amount, message] of refused) {
    it(`refuses ${why}`, () => {
      assert.match(amountProblem(amount) ?? '(accepted)', message);
    });
  }
});

describe('formatUnits', () => {
  const cases: [string, number, string][] = [
    ['1500000', 6, '1.5'],
    ['1000000', 6, '1'],
    ['5', 6, '0.000005'],
    ['1', 18, '0.000000000000000001'],
    ['1000000000000000000', 18, '1'],
    ['1230000000000000000', 18, '1.23'],
    ['0', 6, '0'],
    ['1500000', 0, '1500000'],
    ['101', 2, '1.01'],
    ['9007199254740993', 0, '9007199254740993'],
    ['9007199254740993', 9, '9007199.254740993'],
    ['123456789012345678901234567890', 18, '123456789012.34567890123456789'],
    [TWO_POW_256_MINUS_1, 18, '115792089237316195423570985008687907853269984665640564039457.584007913129639935'],
    [TWO_POW_256_MINUS_1, 0, TWO_POW_256_MINUS_1],
  ];
  for (const [amount, decimals, text] of cases) {
    it(`${amount.length > 20 ? `${amount.slice(0, 12)}…` : amount} with ${decimals} decimals → ${text.length > 30 ? `${text.slice(0, 24)}…` : text}`, () => {
      assert.equal(formatUnits(amount, decimals), text);
    });
  }
});
