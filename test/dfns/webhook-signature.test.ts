import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  DFNS_SIGNATURE_HEADER,
  signDfnsWebhook,
  timestampProblem,
  verifyDfnsSignature,
} from '../../src/dfns/webhook-signature';

const SECRET = 'whsec_current_0123456789';
const OLD_SECRET = 'whsec_previous_9876543210';
const BODY = JSON.stringify({
  id: 'whe-1',
  kind: 'wallet.transfer.confirmed',
  data: { amount: '1' },
  timestampSent: 1_735_689_600,
});

function hex(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Changes one byte of the body (the first digit). */
function tamper(body: string): string {
  const index = body.search(/[0-9]/);
  const digit = body[index] === '1' ? '2' : '1';
  return `${body.slice(0, index)}${digit}${body.slice(index + 1)}`;
}

describe('signDfnsWebhook', () => {
  it('is sha256= plus the hex HMAC-SHA256 of the raw body', () => {
    assert.equal(signDfnsWebhook(BODY, SECRET), `sha256=${hex(BODY, SECRET)}`);
    assert.match(signDfnsWebhook(BODY, SECRET), /^sha256=[0-9a-f]{64}$/);
  });

  it('signs the UTF-8 bytes of non-ASCII bodies', () => {
    const body = '{"note":"paiement reçu ✓"}';
    assert.equal(
      signDfnsWebhook(body, SECRET),
      `sha256=${createHmac('sha256', SECRET).update(Buffer.from(body, 'utf8')).digest('hex')}`,
    );
  });

  it('names the header Dfns uses', () => {
    assert.equal(DFNS_SIGNATURE_HEADER, 'x-dfns-webhook-signature');
  });
});

describe('verifyDfnsSignature', () => {
  it('accepts a good signature', () => {
    assert.equal(verifyDfnsSignature(BODY, signDfnsWebhook(BODY, SECRET), [SECRET]), true);
  });

  it('refuses a signature made with another secret', () => {
    assert.equal(verifyDfnsSignature(BODY, signDfnsWebhook(BODY, 'whsec_attacker'), [SECRET]), false);
  });

  it('refuses a body with one byte changed', () => {
    const tampered = tamper(BODY);
    assert.equal(tampered.length, BODY.length);
    assert.notEqual(tampered, BODY);
    assert.equal(verifyDfnsSignature(tampered, signDfnsWebhook(BODY, SECRET), [SECRET]), false);
  });

  it('refuses a missing or empty header', () => {
    assert.equal(verifyDfnsSignature(BODY, undefined, [SECRET]), false);
    assert.equal(verifyDfnsSignature(BODY, '', [SECRET]), false);
  });

  it('refuses the bare hex without the sha256= prefix', () => {
    assert.equal(verifyDfnsSignature(BODY, hex(BODY, SECRET), [SECRET]), false);
  });

  it('refuses another algorithm prefix', () => {
    assert.equal(verifyDfnsSignature(BODY, `sha512=${hex(BODY, SECRET)}`, [SECRET]), false);
  });

  it('refuses a truncated or extended signature without throwing', () => {
    const good = signDfnsWebhook(BODY, SECRET);
    assert.equal(verifyDfnsSignature(BODY, good.slice(0, -1), [SECRET]), false);
    assert.equal(verifyDfnsSignature(BODY, `${good}0`, [SECRET]), false);
    assert.equal(verifyDfnsSignature(BODY, 'sha256=', [SECRET]), false);
  });

  it('accepts uppercase hex and surrounding whitespace', () => {
    assert.equal(verifyDfnsSignature(BODY, `sha256=${hex(BODY, SECRET).toUpperCase()}`, [SECRET]), true);
    assert.equal(verifyDfnsSignature(BODY, `  ${signDfnsWebhook(BODY, SECRET)}\t`, [SECRET]), true);
  });

  it('accepts a signature made with any configured secret (rotation)', () => {
    assert.equal(
      verifyDfnsSignature(BODY, signDfnsWebhook(BODY, OLD_SECRET), [SECRET, OLD_SECRET]),
      true,
      'second secret matches',
    );
    assert.equal(
      verifyDfnsSignature(BODY, signDfnsWebhook(BODY, SECRET), [SECRET, OLD_SECRET]),
      true,
      'first secret matches',
    );
    assert.equal(
      verifyDfnsSignature(BODY, signDfnsWebhook(BODY, 'whsec_other'), [SECRET, OLD_SECRET]),
      false,
      'neither matches',
    );
  });

  it('refuses everything when no secret is configured', () => {
    assert.equal(verifyDfnsSignature(BODY, signDfnsWebhook(BODY, SECRET), []), false);
    assert.equal(verifyDfnsSignature(BODY, signDfnsWebhook(BODY, ''), []), false);
  });

  it('refuses a signature over an empty body made with another secret', () => {
    assert.equal(verifyDfnsSignature('', signDfnsWebhook('', 'whsec_other'), [SECRET]), false);
    assert.equal(verifyDfnsSignature('', signDfnsWebhook('', SECRET), [SECRET]), true);
  });
});

describe('timestampProblem', () => {
  const NOW_MS = 1_735_689_600_000;
  const NOW_S = NOW_MS / 1000;
  const WINDOW = 300;

  it('accepts a fresh delivery', () => {
    assert.equal(timestampProblem(NOW_S, NOW_MS, WINDOW), undefined);
  });

  it('accepts a delivery one second inside the window, in the past and in the future', () => {
    assert.equal(timestampProblem(NOW_S - WINDOW + 1, NOW_MS, WINDOW), undefined);
    assert.equal(timestampProblem(NOW_S + WINDOW - 1, NOW_MS, WINDOW), undefined);
  });

  it('refuses a delivery exactly at the window edge', () => {
    assert.equal(timestampProblem(NOW_S - WINDOW, NOW_MS, WINDOW), 'delivery is 300s old; the window is 300s');
  });

  it('refuses a stale delivery', () => {
    assert.equal(timestampProblem(NOW_S - 3600, NOW_MS, WINDOW), 'delivery is 3600s old; the window is 300s');
  });

  it('refuses a delivery dated far in the future', () => {
    assert.equal(timestampProblem(NOW_S + 3600, NOW_MS, WINDOW), 'delivery is dated 3600s in the future');
    assert.equal(timestampProblem(NOW_S + WINDOW, NOW_MS, WINDOW), 'delivery is dated 300s in the future');
  });

  it('refuses a timestamp in milliseconds rather than seconds', () => {
    assert.match(timestampProblem(NOW_MS, NOW_MS, WINDOW) ?? '(accepted)', /in the future/);
  });

  for (const [why, value] of [
    ['missing', undefined],
    ['null', null],
    ['a numeric string', String(NOW_S)],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an object', { seconds: NOW_S }],
  ] as const) {
    it(`refuses a timestampSent that is ${why}`, () => {
      assert.equal(timestampProblem(value, NOW_MS, WINDOW), 'timestampSent is missing or not a number');
    });
  }
});
