import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { CALLBACK_SIGNATURE_HEADER, signCallback, verifyCallback } from '../../src/client/callback-signature';

const SECRET = 'cbsec_test_0123456789abcdef';
const NOW = 1_735_689_600; // 2025-01-01T00:00:00Z
const BODY = JSON.stringify({
  type: 'payment.outcome',
  paymentId: 'payment:order-42',
  outcome: { status: 'Confirmed', txHash: '0xabc' },
});

/** The signature computed independently of the module: HMAC-SHA256 over "<t>.<body>", hex. */
function expectedMac(body: string, secret: string, t: number): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

describe('signCallback', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 into t=…,v1=…', () => {
    assert.equal(signCallback(BODY, SECRET, NOW), `t=${NOW},v1=${expectedMac(BODY, SECRET, NOW)}`);
  });

  it('is deterministic for the same body, secret and time, and changes with each of them', () => {
    const header = signCallback(BODY, SECRET, NOW);
    assert.equal(signCallback(BODY, SECRET, NOW), header);
    assert.notEqual(signCallback(`${BODY} `, SECRET, NOW), header);
    assert.notEqual(signCallback(BODY, `${SECRET}x`, NOW), header);
    assert.notEqual(signCallback(BODY, SECRET, NOW + 1), header);
  });

  it('signs non-ASCII bodies as UTF-8', () => {
    const body = JSON.stringify({ reference: 'Überweisung 💸' });
    assert.equal(signCallback(body, SECRET, NOW), `t=${NOW},v1=${expectedMac(body, SECRET, NOW)}`);
    assert.equal(verifyCallback(body, signCallback(body, SECRET, NOW), SECRET, NOW), true);
  });

  it('names the header it travels in', () => {
    assert.equal(CALLBACK_SIGNATURE_HEADER, 'x-payment-signature');
  });
});

describe('verifyCallback', () => {
  const good = signCallback(BODY, SECRET, NOW);

  it('accepts a good signature at the time it was made', () => {
    assert.equal(verifyCallback(BODY, good, SECRET, NOW), true);
  });

  it('accepts surrounding whitespace in the header', () => {
    assert.equal(verifyCallback(BODY, `  ${good}\t`, SECRET, NOW), true);
  });

  it('refuses a signature made with another secret', () => {
    assert.equal(verifyCallback(BODY, signCallback(BODY, 'cbsec_attacker_0000000000', NOW), SECRET, NOW), false);
    assert.equal(verifyCallback(BODY, good, 'cbsec_attacker_0000000000', NOW), false);
  });

  it('refuses a body changed after signing, even by one character or whitespace', () => {
    assert.equal(verifyCallback(BODY.replace('0xabc', '0xabd'), good, SECRET, NOW), false);
    assert.equal(verifyCallback(BODY.replace('Confirmed', 'Failed'), good, SECRET, NOW), false);
    assert.equal(verifyCallback(`${BODY}\n`, good, SECRET, NOW), false);
    assert.equal(verifyCallback('', good, SECRET, NOW), false);
  });

  it('refuses a captured signature replayed with a fresh timestamp', () => {
    const mac = good.split(',v1=')[1];
    assert.equal(verifyCallback(BODY, `t=${NOW + 600},v1=${mac}`, SECRET, NOW + 600), false);
  });

  it('accepts a timestamp up to one second inside the window, either side', () => {
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 299), true);
    assert.equal(verifyCallback(BODY, good, SECRET, NOW - 299), true);
  });

  it('refuses a stale timestamp, from exactly the window edge on', () => {
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 300), false);
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 3600), false);
  });

  it('refuses a timestamp in the future, from exactly the window edge on', () => {
    assert.equal(verifyCallback(BODY, good, SECRET, NOW - 300), false);
    assert.equal(verifyCallback(BODY, good, SECRET, NOW - 86_400), false);
  });

  it('honours a custom tolerance', () => {
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 30, 60), true);
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 60, 60), false);
    assert.equal(verifyCallback(BODY, good, SECRET, NOW + 3000, 3600), true);
  });

  const mac = expectedMac(BODY, SECRET, NOW);
  const malformed: [string, string | undefined][] = [
    ['a missing header', undefined],
    ['an empty header', ''],
    ['only the MAC', mac],
    ['no timestamp', `v1=${mac}`],
    ['no v1', `t=${NOW}`],
    ['fields in the other order', `v1=${mac},t=${NOW}`],
    ['a non-numeric timestamp', `t=now,v1=${mac}`],
    ['a negative timestamp', `t=-${NOW},v1=${mac}`],
    ['a fractional timestamp', `t=${NOW}.5,v1=${mac}`],
    ['a zero-padded timestamp', `t=0${NOW},v1=${mac}`],
    ['an uppercase MAC', `t=${NOW},v1=${mac.toUpperCase()}`],
    ['a truncated MAC', `t=${NOW},v1=${mac.slice(0, 63)}`],
    ['an over-long MAC', `t=${NOW},v1=${mac}0`],
    ['a base64 MAC', `t=${NOW},v1=${Buffer.from(mac, 'hex').toString('base64')}`],
    ['a second signature appended', `t=${NOW},v1=${mac},v1=${mac}`],
    ['a space after the comma', `t=${NOW}, v1=${mac}`],
    ['a sha256= prefix', `sha256=${mac}`],
  ];
  for (const [why, header] of malformed) {
    it(`refuses ${why}`, () => {
      assert.equal(verifyCallback(BODY, header, SECRET, NOW), false);
    });
  }
});
