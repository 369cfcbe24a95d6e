/** Base58 without 0, O, I and l: the alphabet Bitcoin, Tron and Solana addresses share. */
export const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** The bech32 data alphabet (BIP-173). */
export const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Every string that differs from `value` in exactly one position, each time with the next character of `alphabet`. */
export function oneCharChanges(value: string, alphabet: string, from = 0): string[] {
  const out: string[] = [];
  for (let i = from; i < value.length; i++) {
    const ch = value[i] as string;
    const lower = ch.toLowerCase();
    const at = alphabet.indexOf(alphabet.includes(ch) ? ch : lower);
    let next = alphabet[(at + 1) % alphabet.length] as string;
    if (ch !== lower) next = next.toUpperCase();
    out.push(value.slice(0, i) + next + value.slice(i + 1));
  }
  return out;
}
