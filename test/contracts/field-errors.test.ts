import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { fieldErrorLine, toFieldErrors } from '../../src/contracts/field-errors';

const schema = z.object({ id: z.string(), items: z.array(z.object({ amount: z.string() })) });

function errorOf(input: unknown): z.ZodError {
  const parsed = schema.safeParse(input);
  assert.ok(!parsed.success);
  return parsed.error;
}

describe('toFieldErrors', () => {
  it('names each field by its dotted path, array indices included', () => {
    const errors = toFieldErrors(errorOf({ id: 7, items: [{ amount: '1' }, { amount: 2 }] }), { root: '(request)' });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['id', 'items.1.amount'],
    );
    assert.ok(errors.every((e) => e.message.length > 0));
  });

  it('names the input itself by its root when the issue has no path', () => {
    assert.deepEqual(
      toFieldErrors(errorOf('not an object'), { root: '(body)' }).map((e) => e.field),
      ['(body)'],
    );
  });

  it('puts the prefix in front of every path, for an input parsed out of a larger one', () => {
    const errors = toFieldErrors(errorOf({ id: 'x', items: [{}] }), { root: 'data', prefix: ['data', 'batch'] });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['data.batch.items.0.amount'],
    );
    assert.deepEqual(
      toFieldErrors(errorOf(null), { root: 'data', prefix: ['data'] }).map((e) => e.field),
      ['data'],
    );
  });
});

describe('fieldErrorLine', () => {
  it('joins field errors into one line', () => {
    const line = fieldErrorLine([
      { field: 'kind', message: 'Invalid input' },
      { field: 'status', message: 'Invalid option' },
    ]);
    assert.equal(line, 'kind: Invalid input; status: Invalid option');
  });
});
