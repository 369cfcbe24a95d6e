import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base58, hex } from '@scure/base';
import { isOnCurve } from '../../src/contracts/solana-curve';

// Program-derived addresses, off the curve by construction:
// - @solana/web3.js test/publickey.test.ts ("isOnCurve", and createProgramAddress for solana-labs/solana#11950);
// - @solana/spl-token test/unit/index.test.ts ("getAssociatedTokenAddress"): DShW… is the associated token account
//   of owner B8Uw… for mint 7o36…, refused as an owner with TokenOwnerOffCurveError; F3Dm… is DShW…'s own token
//   account, derived with allowOwnerOffCurve;
// - web3.js createProgramAddress vectors for BPFLoader1111111111111111111111111111111111.
const OFF_CURVE = [
  '12rqwuEgBYiGhBrDJStCiqEtzQpTTiZbh7teNVLuYcFA',
  'DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n',
  'F3DmXZFqkfEWFA7MN2vDPs813GeEWPaT6nLk4PSGuWJd',
  '3gF2KMe9KiC6FNVBmfg9i267aMPvK37FewCip4eGBFcT',
  'HwRVBufQ4haG5XSgpspwKtNd3PC9GM9m1196uJW36vds',
];

// Keys that can sign: the wallet owner and the mint of the spl-token test above; RFC 8032's test 1 and test 2 public
// keys (section 7.1); the wallet address of Solana's documentation examples; and the System Program id (32 zero
// bytes: y = 0 is on the curve).
const ON_CURVE = [
  'B8UwBUUnKwCyKuGMbFKWaG7exYdDk2ozZrPg72NyVbfj',
  '7o36UsWR1JQLpZ9PE2gn9L4SQ69CNNiWAXd4Jt7rqz9Z',
  base58.encode(hex.decode('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')),
  base58.encode(hex.decode('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c')),
  '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5',
  '11111111111111111111111111111111',
];

describe('isOnCurve: ed25519 point decompression of a Solana address', () => {
  it('finds every published program-derived address off the curve', () => {
    for (const address of OFF_CURVE) assert.equal(isOnCurve(address), false, address);
  });

  it('finds published wallet and RFC 8032 public keys on the curve', () => {
    for (const address of ON_CURVE) assert.equal(isOnCurve(address), true, address);
  });
});
