import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PaymentValidationError } from '../../src/client/payment-errors';
import { parsePaymentRequest } from '../../src/client/payment-client';
import { omit } from '../contracts/omit';

const valid = {
  idempotencyKey: 'order-42',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000',
};

/** Asserts parsePaymentRequest refuses input with a PaymentValidationError and returns its issues' fields. */
function refusedFields(input: unknown): string[] {
  let fields: string[] = [];
  assert.throws(
    () => parsePaymentRequest(input),
    (error: unknown) => {
      assert.ok(error instanceof PaymentValidationError, `expected PaymentValidationError, got ${String(error)}`);
      assert.equal(error.name, 'PaymentValidationError');
      assert.ok(error.issues.length > 0);
      for (const issue of error.issues) assert.ok(error.message.includes(`${issue.field} ${issue.message}`), error.message);
      fields = error.issues.map((issue) => issue.field);
      return true;
    },
  );
  return fields;
}

describe('parsePaymentRequest', () => {
  it('returns a valid request', () => {
    assert.deepEqual(parsePaymentRequest(valid), valid);
  });

  it('names the amount field', () => {
    assert.deepEqual(refusedFields({ ...valid, amount: '1.5' }), ['amount']);
  });

  it('names the recipient field for a bad checksum', () => {
    assert.deepEqual(refusedFields({ ...valid, to: '0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359' }), ['to']);
  });

  it('names the nested asset.contract field', () => {
    assert.deepEqual(refusedFields({ ...valid, asset: { kind: 'Erc20', contract: '0x12' } }), ['asset.contract']);
  });

  it('names a missing idempotency key', () => {
    const rest = omit(valid, 'idempotencyKey');
    assert.deepEqual(refusedFields(rest), ['idempotencyKey']);
  });

  it('names every bad field at once', () => {
    assert.deepEqual(refusedFields({ ...valid, idempotencyKey: 'a:b', network: 'Mars', amount: '0' }).sort(), ['amount', 'idempotencyKey', 'network']);
  });

  it('refuses an unknown extra field', () => {
    assert.deepEqual(refusedFields({ ...valid, priority: 'high' }), ['(request)']);
  });

  it('refuses input that is not an object', () => {
    for (const input of [undefined, null, 'order-42', 42, []]) assert.deepEqual(refusedFields(input), ['(request)'], JSON.stringify(input));
  });
});
