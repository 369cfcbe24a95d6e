import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evmAddressProblem, generateEvmIdentity, toChecksumAddress } from '../../../sandbox/src/wallets/evm-address';

// Test vectors from EIP-55.
const VECTORS = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('EVM addresses', () => {
  it('computes EIP-55 checksums', () => {
    for (const address of VECTORS) assert.equal(toChecksumAddress(address.toLowerCase()), address);
  });

  it('accepts checksummed, all-lowercase and all-uppercase addresses', () => {
    for (const address of VECTORS) {
      assert.equal(evmAddressProblem(address), undefined);
      assert.equal(evmAddressProblem(address.toLowerCase()), undefined);
      assert.equal(evmAddressProblem(`0x${address.slice(2).toUpperCase()}`), undefined);
    }
  });

  it('rejects bad shapes and broken checksums', () => {
    assert.match(evmAddressProblem('0x123') ?? '', /40 hex/);
    assert.match(evmAddressProblem(`${VECTORS[0]}00`) ?? '', /40 hex/);
    assert.match(evmAddressProblem('5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed') ?? '', /40 hex/);
    assert.match(evmAddressProblem('0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed') ?? '', /checksum/);
  });

  it('derives valid checksummed wallet addresses from fresh secp256k1 keys', () => {
    const identity = generateEvmIdentity();
    assert.equal(evmAddressProblem(identity.address), undefined);
    assert.equal(toChecksumAddress(identity.address), identity.address);
    assert.match(identity.publicKeyHex, /^0[23][0-9a-f]{64}$/);
  });
});
