import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_FIELDS } from '../../src/logger';
import { captureLogs } from './log-capture';

const SECRET = 'sk_live_7f3a9c1e5b2d4f6a';

describe('the logger redacts secrets by configuration', () => {
  it('replaces every secret field at any depth a log call is likely to use', () => {
    const { logger, lines } = captureLogs();
    for (const field of SECRET_FIELDS) {
      logger.info({ [field]: SECRET }, 'top level');
      logger.info({ request: { [field]: SECRET } }, 'one deep');
      logger.info({ request: { headers: { [field]: SECRET } } }, 'two deep');
      logger.info({ error: { context: { headers: { [field]: SECRET } } } }, 'three deep');
    }
    assert.equal(lines.length, SECRET_FIELDS.length * 4);
    for (const line of lines) {
      assert.ok(!line.includes(SECRET), line);
      assert.ok(line.includes('[redacted]'), line);
    }
  });

  it('redacts the Dfns credentials and the environment as a whole object', () => {
    const { logger, lines, records } = captureLogs();
    const credentials = {
      baseUrl: 'https://api.dfns.io',
      credId: 'cr-1',
      authToken: `${SECRET}-token`,
      privateKey: `${SECRET}-pem`,
    };
    logger.warn(
      { credentials, env: { DFNS_AUTH_TOKEN: SECRET, DFNS_PRIVATE_KEY: SECRET, CALLBACK_SIGNING_SECRET: SECRET } },
      'x',
    );
    assert.ok(!lines.join('').includes(SECRET));
    const [record] = records();
    // What is not a secret stays readable: redaction is by field, not a blanket mask.
    assert.equal((record?.credentials as Record<string, unknown>).credId, 'cr-1');
    assert.equal((record?.credentials as Record<string, unknown>).authToken, '[redacted]');
  });

  it('keeps the one format: JSON lines with a level label, ISO time and the process name', () => {
    const { logger, records } = captureLogs('worker');
    logger.child({ paymentId: 'payment:k1' }).info({ attempt: 2 }, 'hello');
    const [record] = records();
    assert.equal(record?.level, 'info');
    assert.equal(record?.name, 'worker');
    assert.equal(record?.msg, 'hello');
    assert.equal(record?.paymentId, 'payment:k1');
    assert.match(String(record?.time), /^\d{4}-\d\d-\d\dT/);
  });
});
