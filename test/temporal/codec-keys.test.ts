// The codec's keys file and the variables that point at it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { loadCodecKeyring, parseCodecKeys } from '../../src/temporal/codec-keys';
import { describePayloadCodec, payloadCodecFromConfig } from '../../src/temporal/data-converter';
import { configError } from '../support/config-error';

const key = () => randomBytes(32).toString('base64');

describe('codec keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codec-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  it('parses one key per line, skipping blank lines and comments', () => {
    const [a, b] = [key(), key()];
    const keys = parseCodecKeys(`# rotated 2025-06\n2025-01 ${a}\n\n  2025-06   ${b}  \n`);
    assert.deepEqual([...keys.keys()], ['2025-01', '2025-06']);
    assert.equal(keys.get('2025-01')?.toString('base64'), a);
  });

  it('refuses a bad line by its number, never echoing it', () => {
    const secret = key();
    const cases: [string, RegExp][] = [
      [`k1 ${secret} extra`, /line 1: expected: keyId base64key/],
      [`# c\nk/1 ${secret}`, /line 2: the key id must be/],
      [`k1 ${randomBytes(16).toString('base64')}`, /line 1: key k1 must be 32 random bytes/],
      [`k1 ${secret.slice(0, -4)}!!!!`, /line 1: key k1 must be 32 random bytes/],
      [`k1 ${secret}\nk1 ${key()}`, /line 2: key id k1 appears twice/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseCodecKeys(text),
        (error: Error) => pattern.test(error.message) && !error.message.includes(secret.slice(0, 12)),
        text,
      );
    }
  });

  it('needs no key id for a file of one key, and the key id for a file of several', () => {
    const one = file('one', `only ${key()}\n`);
    assert.equal(loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: one }))?.encryptKeyId, 'only');
    const two = file('two', `old ${key()}\nnew ${key()}\n`);
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: two })),
      /holds 2 keys: set TEMPORAL_CODEC_KEY_ID/,
    );
    const ring = loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: two, TEMPORAL_CODEC_KEY_ID: 'new' }));
    assert.equal(ring?.encryptKeyId, 'new');
    assert.equal(ring?.keys.size, 2);
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: two, TEMPORAL_CODEC_KEY_ID: 'newer' })),
      /TEMPORAL_CODEC_KEY_ID: .* holds no key newer/,
    );
  });

  it('names the variable when the file is missing, empty or malformed, or the key id comes alone', () => {
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: join(dir, 'absent') })),
      /TEMPORAL_CODEC_KEYS_FILE: cannot read .*absent \(ENOENT\)/,
    );
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: file('empty', '# nothing yet\n') })),
      /holds no key/,
    );
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: file('bad', 'k1 short\n') })),
      /TEMPORAL_CODEC_KEYS_FILE .*bad: line 1: key k1 must be 32 random bytes/,
    );
    configError(
      () => loadCodecKeyring(loadConfig({ TEMPORAL_CODEC_KEY_ID: 'k1' })),
      /TEMPORAL_CODEC_KEY_ID is set, so TEMPORAL_CODEC_KEYS_FILE is required too/,
    );
  });

  it('builds no codec without a keys file, and says how payloads leave the process', () => {
    assert.equal(payloadCodecFromConfig(loadConfig({})), undefined);
    assert.match(describePayloadCodec(undefined), /in clear/);
    const keys = file('log', `k9 ${key()}\n`);
    assert.equal(
      describePayloadCodec(payloadCodecFromConfig(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: keys }))),
      'AES-256-GCM, key k9',
    );
    const decryptOnly = loadConfig({ TEMPORAL_CODEC_KEYS_FILE: keys, TEMPORAL_CODEC_ENCRYPT: 'false' });
    assert.match(describePayloadCodec(payloadCodecFromConfig(decryptOnly)), /decrypt only/);
  });
});
