/** An exact non-negative decimal: `units / 10^scale`, so money never meets a float operation. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses `"12"`, `"0.05"` or `"1e-7"` exactly; undefined for anything else (signs included). */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const shift = Number(exponent);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 400) return undefined;
  const units = BigInt(whole + fraction);
  const scale = fraction.length - shift;
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * The exact decimal a JS number was written as: `String(n)` is the shortest text that round-trips,
 * so `0.1` becomes 1/10 (not the binary fraction behind it).
 */
export function decimalFromNumber(value: number): Decimal {
  const parsed = Number.isFinite(value) && value >= 0 ? parseDecimal(String(value)) : undefined;
  if (!parsed) throw new Error(`Not a finite non-negative number: ${value}`);
  return parsed;
}

/** `amount` minimum units of an asset with `decimals` decimals, as a whole-unit decimal. */
export function fromMinimalUnits(amount: bigint, decimals: number): Decimal {
  return { units: amount, scale: decimals };
}

/** Exact product. */
export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Exact sum. */
export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: align(a, scale) + align(b, scale), scale };
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = align(a, scale);
  const right = align(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Plain decimal text without trailing zeros, e.g. `10000` or `0.000001`. */
export function formatDecimal(value: Decimal): string {
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Zero. */
export const ZERO: Decimal = { units: 0n, scale: 0 };

function align(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}
