import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { solanaAddressProblem } from '../../src/contracts/solana-address';

// Addresses from Solana's documentation: the System Program, the SPL Token program, the USDC mint on mainnet and on
// devnet, and a wallet address from the docs' examples.
const PUBLISHED = [
  '11111111111111111111111111111111',
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
  '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
  '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5',
];

describe('solanaAddressProblem', () => {
  it('accepts published Solana addresses (32-byte keys in Base58)', () => {
    for (const address of PUBLISHED) assert.equal(solanaAddressProblem(address), undefined, address);
  });

  it('refuses strings that decode to other lengths: Solana has no checksum, so length is the guard', () => {
    assert.match(solanaAddressProblem('1111111111111111111111111111111') ?? '', /32 to 44|decode to 32 bytes/);
    // 44 Base58 characters can encode more than 32 bytes.
    assert.match(solanaAddressProblem('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz') ?? '', /decodes to 33/);
    assert.match(solanaAddressProblem('EPjFWdd5AufqSSqeM2qN1xzybapC8G4w') ?? '', /decodes to 2[0-9]\)/);
  });

  it('refuses characters outside Base58 (0, O, I, l), EVM and Tron addresses', () => {
    for (const bad of [
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt10',
      'OPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      'lPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      '',
    ]) {
      assert.ok(solanaAddressProblem(bad), bad);
    }
  });
});
