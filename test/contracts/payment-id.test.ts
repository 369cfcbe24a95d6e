import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isClientPaymentId,
  isPaymentId,
  parseTransferExternalId,
  paymentIdFor,
  transferExternalId,
} from '../../src/contracts/payment-id';

describe('paymentIdFor', () => {
  it('prefixes the idempotency key', () => {
    assert.equal(paymentIdFor('order-42'), 'payment:order-42');
  });

  it('is stable: the same key always gives the same id, different keys different ids', () => {
    assert.equal(paymentIdFor('k.1_x-y'), paymentIdFor('k.1_x-y'));
    assert.notEqual(paymentIdFor('order-1'), paymentIdFor('order-2'));
  });
});

describe('paymentIdFor with a client', () => {
  it('scopes the key to the client, so two clients never share a payment', () => {
    assert.equal(paymentIdFor('order-42', 'acme'), 'payment:acme:order-42');
    assert.notEqual(paymentIdFor('order-42', 'acme'), paymentIdFor('order-42', 'globex'));
    assert.notEqual(paymentIdFor('order-42', 'acme'), paymentIdFor('order-42'));
  });

  it('refuses a client id outside its alphabet', () => {
    for (const bad of ['', 'Acme', 'a:b', 'a b', '-acme', 'x'.repeat(41)])
      assert.throws(() => paymentIdFor('k', bad), RangeError, bad);
  });

  it("tells a client's own ids from any other", () => {
    assert.equal(isClientPaymentId('payment:acme:order-42', 'acme'), true);
    assert.equal(isClientPaymentId('payment:acme:order-42', 'acm'), false);
    assert.equal(isClientPaymentId('payment:acmex:order-42', 'acme'), false);
    assert.equal(isClientPaymentId('payment:acme:', 'acme'), false);
    assert.equal(isClientPaymentId('payment:acme:a:b', 'acme'), false);
    assert.equal(isClientPaymentId('payment:order-42', 'acme'), false);
  });

  it('keeps the attempt suffix parseable', () => {
    assert.deepEqual(parseTransferExternalId(transferExternalId(paymentIdFor('k', 'acme'), 2)), {
      paymentId: 'payment:acme:k',
      attempt: 2,
    });
  });
});

describe('transferExternalId', () => {
  it('appends the attempt number', () => {
    assert.equal(transferExternalId('payment:order-42', 1), 'payment:order-42:a1');
    assert.equal(transferExternalId('payment:order-42', 12), 'payment:order-42:a12');
  });

  for (const attempt of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects attempt ${attempt}`, () => {
      assert.throws(
        () => transferExternalId('payment:order-42', attempt),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, /attempt must be a positive integer/);
          return true;
        },
      );
    });
  }
});

describe('isPaymentId', () => {
  it('tells a payment id from the idempotency key it was derived from', () => {
    assert.equal(isPaymentId(paymentIdFor('order-42')), true);
    assert.equal(isPaymentId('order-42'), false);
    assert.equal(isPaymentId('Payment:order-42'), false);
  });
});

describe('parseTransferExternalId', () => {
  it('round-trips ids built by paymentIdFor and transferExternalId', () => {
    for (const key of ['order-42', 'a', 'A.b_c-9', 'x'.repeat(100)]) {
      for (const attempt of [1, 2, 10, 999]) {
        const externalId = transferExternalId(paymentIdFor(key), attempt);
        assert.deepEqual(parseTransferExternalId(externalId), { paymentId: paymentIdFor(key), attempt }, externalId);
      }
    }
  });

  const foreign: [string, string][] = [
    ['no prefix', 'order-42:a1'],
    ['another prefix', 'invoice:order-42:a1'],
    ['no attempt suffix', 'payment:order-42'],
    ['empty key', 'payment::a1'],
    ['attempt 0', 'payment:x:a0'],
    ['leading zero attempt', 'payment:x:a01'],
    ['non-numeric attempt', 'payment:x:ab'],
    ['negative attempt', 'payment:x:a-1'],
    ['suffix not at the end', 'payment:x:a1:z'],
    ['prefix only', 'payment:'],
    ['empty string', ''],
    ['uppercase prefix', 'PAYMENT:x:a1'],
  ];
  for (const [why, externalId] of foreign) {
    it(`refuses a foreign id (${why}: ${JSON.stringify(externalId)})`, () => {
      assert.equal(parseTransferExternalId(externalId), undefined);
    });
  }
});
