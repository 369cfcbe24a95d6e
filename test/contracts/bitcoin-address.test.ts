import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bitcoinAddressProblem } from '../../src/contracts/bitcoin-address';
import { BASE58, BECH32, oneCharChanges } from './one-char-changes';

// Valid segwit addresses from BIP-350's test vectors (which supersede BIP-173's for witness versions 1 to 16).
const BIP350_VALID_MAINNET = [
  'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
  'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
  'BC1SW50QGDZ25J',
  'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
];
const BIP350_VALID_TESTNET = [
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
  'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
];
// BIP-350's invalid addresses, each with the reason the BIP gives.
const BIP350_INVALID: [string, string][] = [
  ['tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', 'invalid human-readable part'],
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'bech32 instead of bech32m (v1)'],
  ['tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf', 'bech32 instead of bech32m (v2)'],
  ['BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', 'bech32 instead of bech32m (v16)'],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'bech32m instead of bech32 (v0)'],
  ['tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47', 'bech32m instead of bech32 (v0)'],
  ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'invalid character in checksum'],
  ['BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', 'invalid witness version'],
  ['bc1pw5dgrnzv', 'invalid program length (1 byte)'],
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', 'invalid program length (41 bytes)'],
  ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'invalid program length for witness version 0'],
  ['tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', 'mixed case'],
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', 'zero padding of more than 4 bits'],
  ['tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j', 'non-zero padding in 8-to-5 conversion'],
  ['bc1gmk9yu', 'empty data section'],
];
// Legacy Base58Check addresses: the genesis block's P2PKH, the Bitcoin wiki's P2SH and testnet examples.
const LEGACY_MAINNET = ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'];
const LEGACY_TESTNET = ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc'];

describe('bitcoinAddressProblem', () => {
  it("accepts BIP-350's valid segwit addresses on their own network", () => {
    for (const address of BIP350_VALID_MAINNET)
      assert.equal(bitcoinAddressProblem(address, 'mainnet'), undefined, address);
    for (const address of BIP350_VALID_TESTNET)
      assert.equal(bitcoinAddressProblem(address, 'testnet'), undefined, address);
  });

  it("refuses every one of BIP-350's invalid addresses", () => {
    for (const [address, why] of BIP350_INVALID) {
      const chain = address.toLowerCase().startsWith('tb') ? 'testnet' : 'mainnet';
      assert.ok(bitcoinAddressProblem(address, chain), `${address}: ${why}`);
    }
  });

  it('names the checksum kind a version needs', () => {
    assert.match(bitcoinAddressProblem(BIP350_INVALID[1]![0], 'mainnet') ?? '', /bech32m/);
    assert.match(bitcoinAddressProblem(BIP350_INVALID[4]![0], 'mainnet') ?? '', /bech32 checksum/);
  });

  it('accepts legacy P2PKH and P2SH addresses on their own network only', () => {
    for (const address of LEGACY_MAINNET) {
      assert.equal(bitcoinAddressProblem(address, 'mainnet'), undefined, address);
      assert.match(bitcoinAddressProblem(address, 'testnet') ?? '', /not a testnet P2PKH or P2SH/, address);
    }
    for (const address of LEGACY_TESTNET) {
      assert.equal(bitcoinAddressProblem(address, 'testnet'), undefined, address);
      assert.match(bitcoinAddressProblem(address, 'mainnet') ?? '', /not a mainnet/, address);
    }
  });

  it('refuses a mainnet segwit address on a testnet and the reverse', () => {
    assert.match(bitcoinAddressProblem(BIP350_VALID_MAINNET[4]!, 'testnet') ?? '', /must start with tb1/);
    assert.match(bitcoinAddressProblem(BIP350_VALID_TESTNET[0]!, 'mainnet') ?? '', /must start with bc1/);
  });

  it('catches every single-character change in the data and checksum of a bech32 and a bech32m address', () => {
    for (const address of ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', BIP350_VALID_MAINNET[4]!]) {
      const changed = oneCharChanges(address, BECH32, 3);
      assert.equal(changed.length, address.length - 3);
      for (const typo of changed) assert.ok(bitcoinAddressProblem(typo, 'mainnet'), typo);
    }
  });

  it('catches every single-character change of a Base58Check address', () => {
    for (const address of [...LEGACY_MAINNET]) {
      for (const typo of oneCharChanges(address, BASE58)) assert.ok(bitcoinAddressProblem(typo, 'mainnet'), typo);
    }
  });

  it('refuses empty, short and foreign strings', () => {
    for (const bad of ['', 'bc1', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t']) {
      assert.ok(bitcoinAddressProblem(bad, 'mainnet'), bad);
    }
  });
});
