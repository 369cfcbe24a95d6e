import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_KEYS_CONFIGURED } from '../../src/api/api-key-auth';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import { apiHarness } from './api-harness';

describe('a 401 says when the server holds no key at all', () => {
  it('names the missing configuration on a server with no keys, whatever the caller sent', async () => {
    const h = apiHarness({ noKeys: true });
    const someKey = apiHarness().keys.acme;
    for (const key of [undefined, someKey, 'pk_notakey']) {
      const response = await h.request('/v1/payments', key ? { key } : {});
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
      assert.equal(response.json.detail, NO_KEYS_CONFIGURED);
      assert.match(String(response.json.detail), /no API keys configured \(API_KEYS_FILE, API_KEY_ENTRY\)/);
    }
  });

  it('keeps the usual answer on a server with keys: nothing about its keys is disclosed', async () => {
    const h = apiHarness();
    for (const key of [undefined, 'pk_notakey']) {
      const response = await h.request('/v1/payments', key ? { key } : {});
      assert.equal(response.status, 401);
      assert.equal(response.json.detail, 'a valid API key is required: Authorization: Bearer <key>');
    }
  });
});
