import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry, parseApiKeyFile } from '../../src/api/api-keys';
import { loadApiKeys } from '../../src/api/api-key-config';
import { loadConfig } from '../../src/config';

describe('API keys', () => {
  it('mints a high-entropy key whose configured line holds only its hash', () => {
    const { key, entry } = mintApiKey('acme', ['payments:read', 'payments:write']);
    assert.match(key, /^pk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.ok(!entry.includes(key.slice(16)));
    const parsed = parseApiKeyEntry(entry);
    assert.equal(parsed.clientId, 'acme');
    assert.deepEqual(parsed.scopes, ['payments:read', 'payments:write']);
    assert.notEqual(mintApiKey('acme', ['payments:read']).key, key);
  });

  it('keeps the operator scope payloads:decode apart: a key holds it alone, never beside a client scope', () => {
    const operator = mintApiKey('ops', ['payloads:decode']);
    assert.deepEqual(parseApiKeyEntry(operator.entry).scopes, ['payloads:decode']);
    const [id, client, , hash] = operator.entry.split(' ');
    assert.throws(
      () => parseApiKeyEntry(`${id} ${client} payments:read,payloads:decode ${hash}`),
      /payloads:decode is an operator scope: a key holding it holds no client scope/,
    );
    assert.throws(() => mintApiKey('acme', ['payments:write', 'payloads:decode']), /operator scope/);
  });

  it('verifies the key and nothing else: another key, a changed character, a key of another id', () => {
    const a = mintApiKey('acme', ['payments:read']);
    const b = mintApiKey('globex', ['payments:operate']);
    const verify = createApiKeyVerifier([parseApiKeyEntry(a.entry), parseApiKeyEntry(b.entry)]);
    assert.deepEqual(verify(a.key), { keyId: a.key.slice(3, 15), clientId: 'acme', scopes: ['payments:read'] });
    assert.equal(verify(b.key)?.clientId, 'globex');
    const last = a.key.at(-1) === 'A' ? 'B' : 'A';
    assert.equal(verify(a.key.slice(0, -1) + last), undefined);
    assert.equal(verify(`${a.key.slice(0, 16)}${b.key.slice(16)}`), undefined);
    assert.equal(verify(''), undefined);
    assert.equal(verify('pk_x'), undefined);
  });

  it('reads a keys file with comments, naming the line of a bad entry without echoing it', () => {
    const a = mintApiKey('acme', ['payments:read']);
    assert.equal(parseApiKeyFile(`# keys\n\n${a.entry}\n`).length, 1);
    assert.throws(
      () => parseApiKeyFile(`${a.entry}\nabcdefabcdef acme payments:admin ${'0'.repeat(64)}`),
      /line 2: scopes are/,
    );
    assert.throws(
      () => parseApiKeyFile('pk_secretsecret'),
      (error: Error) => error.message === 'line 1: expected: keyId clientId scopes sha256',
    );
    assert.throws(() => parseApiKeyEntry(`abcdefabcdef Acme! payments:read ${'0'.repeat(64)}`), /client id must match/);
  });

  it('refuses two keys with one key id', () => {
    const a = parseApiKeyEntry(mintApiKey('acme', ['payments:read']).entry);
    assert.throws(() => createApiKeyVerifier([a, { ...a, clientId: 'globex' }]), /share a key id/);
  });

  it('loads keys from API_KEY_ENTRY and names the variable when it is wrong', () => {
    const a = mintApiKey('acme', ['payments:read']);
    assert.equal(loadApiKeys(loadConfig({ API_KEY_ENTRY: a.entry }))[0]?.clientId, 'acme');
    assert.throws(() => loadApiKeys(loadConfig({ API_KEY_ENTRY: 'nope' })), /API_KEY_ENTRY: expected/);
    assert.throws(
      () => loadApiKeys(loadConfig({ API_KEYS_FILE: '/nonexistent/keys' })),
      /API_KEYS_FILE: cannot read \/nonexistent\/keys \(ENOENT\)/,
    );
  });
});
