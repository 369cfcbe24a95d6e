import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';

/**
 * Whether a Solana address is a point on the ed25519 curve, i.e. an address a private key can sign for. Program
 * derived addresses (PDAs: associated token accounts, vaults) are built to be off the curve. The check decompresses
 * the point as Solana does (`Pubkey::is_on_curve`, curve25519-dalek's decompression, which accepts ZIP-215
 * encodings), with @noble/curves. `address` must already be a valid Solana address (32 bytes in Base58).
 */
export function isOnCurve(address: string): boolean {
  try {
    ed25519.Point.fromBytes(base58.decode(address), true);
    return true;
  } catch {
    return false;
  }
}
