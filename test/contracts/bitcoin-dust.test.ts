import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bitcoinOutputOf } from '../../src/contracts/bitcoin-address';
import { dustThreshold } from '../../src/contracts/bitcoin-dust';

/**
 * Bitcoin Core's `GetDustThreshold` (src/policy/policy.cpp) at the default dust relay fee of 3,000 sat/kvB
 * (`DUST_RELAY_TX_FEE`, src/policy/policy.h). Its comment publishes two results: "546 satoshis" for a P2PKH output
 * (34 + 148 bytes) and "294 satoshis" for P2WPKH (31 + 67). The others follow from the same formula: a P2SH output
 * is 32 bytes (540), a 32-byte witness program 43 (330), any witness program of L bytes 11 + L (3 × (78 + L)).
 * The addresses are BIP-173's, BIP-350's and the Bitcoin wiki's published examples.
 */
const VECTORS: [address: string, chain: 'mainnet' | 'testnet', type: string, threshold: number][] = [
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'mainnet', 'P2PKH', 546],
  ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'mainnet', 'P2SH', 540],
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'mainnet', 'P2WPKH', 294],
  ['bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 'mainnet', 'P2WSH', 330],
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'mainnet', 'P2TR', 330],
  // BIP-350's other witness versions: v1 with a 40-byte program, v16 with 2 bytes, v2 with 16.
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    'mainnet',
    'witness v1',
    3 * (78 + 40),
  ],
  ['BC1SW50QGDZ25J', 'mainnet', 'witness v16', 3 * (78 + 2)],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 'mainnet', 'witness v2', 3 * (78 + 16)],
  ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'testnet', 'P2PKH', 546],
  ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 'testnet', 'P2SH', 540],
  ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 'testnet', 'P2WSH', 330],
  ['tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', 'testnet', 'P2TR', 330],
];

describe("dustThreshold: Bitcoin Core's relay dust threshold per output type", () => {
  for (const [address, chain, type, threshold] of VECTORS) {
    it(`${type} (${address.slice(0, 12)}…): ${threshold} satoshis`, () => {
      const output = bitcoinOutputOf(address, chain);
      assert.ok(output, address);
      assert.equal(output.type, type);
      assert.equal(dustThreshold(output), threshold);
    });
  }

  it('classifies no invalid address', () => {
    assert.equal(bitcoinOutputOf('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'mainnet'), undefined);
    assert.equal(bitcoinOutputOf('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'testnet'), undefined);
  });
});
