import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evmAddressProblem, toChecksumAddress } from '../../src/contracts/evm-address';
import { EIP55_VECTORS, flipFirstLetter } from './eip55-vectors';

describe('toChecksumAddress', () => {
  for (const vector of EIP55_VECTORS) {
    it(`gives the EIP-55 form of ${vector.toLowerCase()}`, () => {
      assert.equal(toChecksumAddress(vector.toLowerCase()), vector);
      assert.equal(toChecksumAddress(`0x${vector.slice(2).toUpperCase()}`), vector);
    });
  }
});

describe('evmAddressProblem', () => {
  for (const vector of EIP55_VECTORS) {
    it(`accepts the checksummed ${vector}`, () => {
      assert.equal(evmAddressProblem(vector), undefined);
    });

    it(`refuses ${vector} with one letter's case flipped`, () => {
      const typo = flipFirstLetter(vector);
      assert.notEqual(typo, vector);
      assert.notEqual(typo.slice(2), typo.slice(2).toLowerCase(), 'still mixed case');
      assert.notEqual(typo.slice(2), typo.slice(2).toUpperCase(), 'still mixed case');
      assert.equal(evmAddressProblem(typo), 'has an invalid EIP-55 checksum');
    });

    it(`accepts ${vector} all-lowercase and all-uppercase (no checksum to check)`, () => {
      assert.equal(evmAddressProblem(vector.toLowerCase()), undefined);
      assert.equal(evmAddressProblem(`0x${vector.slice(2).toUpperCase()}`), undefined);
    });
  }

  const malformed: [string, string][] = [
    ['empty', ''],
    ['no 0x', '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['uppercase 0X', '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['39 hex characters', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe'],
    ['41 hex characters', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd'],
    ['non-hex character', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg'],
    ['surrounding space', ' 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['ENS name', 'vitalik.eth'],
  ];
  for (const [why, address] of malformed) {
    it(`refuses a malformed address (${why})`, () => {
      assert.equal(evmAddressProblem(address), 'must be 0x followed by 40 hex characters');
    });
  }
});
