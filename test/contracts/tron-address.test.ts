import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tronAddressProblem } from '../../src/contracts/tron-address';
import { BASE58, oneCharChanges } from './one-char-changes';

// Addresses Tron's documentation and explorers publish: the USDT TRC-20 contract on mainnet and on Nile, and the
// account used in Tron's HTTP API examples.
const PUBLISHED = [
  'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
  'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
];

describe('tronAddressProblem', () => {
  it('accepts published Tron addresses', () => {
    for (const address of PUBLISHED) assert.equal(tronAddressProblem(address), undefined, address);
  });

  it('catches every single-character change (Base58Check checksum, or the T prefix)', () => {
    for (const address of PUBLISHED) {
      const changed = oneCharChanges(address, BASE58);
      assert.equal(changed.length, 34);
      for (const typo of changed) assert.ok(tronAddressProblem(typo), typo);
    }
  });

  it('refuses a valid Base58Check string that is not a Tron address (a Bitcoin address)', () => {
    assert.match(tronAddressProblem('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa') ?? '', /must be a Tron address/);
  });

  it('refuses the hex form, EVM addresses, wrong lengths and non-Base58 characters', () => {
    for (const bad of [
      '41a614f803b6fd780986a42c78ec9c7f77e6ded13c',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6',
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6tt',
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0t',
      '',
    ]) {
      assert.ok(tronAddressProblem(bad), bad);
    }
  });
});
