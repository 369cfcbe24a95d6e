import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTraceparent } from '../../src/contracts/trace-context';

describe('parseTraceparent', () => {
  it('reads the W3C trace context example and its sampled flag', () => {
    // https://www.w3.org/TR/trace-context/#examples-of-http-traceparent-headers
    assert.deepEqual(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled, false);
  });

  it('refuses anything else: other versions, all-zero ids, wrong lengths, upper case, non-strings', () => {
    for (const value of [
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '',
      undefined,
      42,
    ]) {
      assert.equal(parseTraceparent(value), undefined, String(value));
    }
  });
});
