/** The largest amount a uint256 can carry. */
export const MAX_UINT256 = (1n << 256n) - 1n;

const INTEGER = /^(0|[1-9][0-9]*)$/;

/** Explains why a string is not a positive uint256 amount in minimum units, or returns undefined when it is. */
export function amountProblem(amount: string): string | undefined {
  if (!INTEGER.test(amount)) {
    return 'must be a positive integer string in minimum units (no sign, decimal point, exponent or leading zeros)';
  }
  // 78 digits is the most a uint256 can have; checking length first keeps BigInt off huge inputs.
  if (amount.length > 78 || BigInt(amount) > MAX_UINT256) return 'is too large for a uint256';
  if (BigInt(amount) === 0n) return 'must be greater than zero';
  return undefined;
}

/** Formats an amount in minimum units as a decimal string ("1500000", 6 → "1.5") without floating point. */
export function formatUnits(amount: string, decimals: number): string {
  const value = BigInt(amount);
  if (decimals === 0) return value.toString();
  const base = 10n ** BigInt(decimals);
  const whole = value / base;
  const fraction = (value % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
