import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config';

/** Asserts fn throws a ConfigError whose message matches every pattern, and returns the message. */
export function configError(fn: () => unknown, ...patterns: RegExp[]): string {
  let message = '';
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.name, 'ConfigError');
    message = error.message;
    return true;
  });
  for (const pattern of patterns) assert.match(message, pattern);
  return message;
}
