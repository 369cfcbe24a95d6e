// The payload codec: AES-256-GCM with a fresh IV per payload, the key id in the metadata, rotation by key id, and
// unencrypted payloads passed through.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CodecKeyring } from '../../src/temporal/codec-keys';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../src/temporal/encryption-codec';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ring = (encryptKeyId: string, keys: Record<string, Buffer>): CodecKeyring => ({
  encryptKeyId,
  keys: new Map(Object.entries(keys)),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const payment = {
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '2500000',
  reference: 'payout #123',
};
const jsonPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

/** A small deterministic generator (mulberry32), so the round-trip sweep is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(ring('2025-01', { '2025-01': keyA }));

  it('encrypts the whole payload, names the key in clear, and decodes it back exactly', async () => {
    const original = jsonPayload(payment);
    const [encoded] = await codec.encode([original]);
    assert.ok(encoded);
    assert.equal(text(encoded.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encoded.metadata?.[KEY_ID_METADATA]), '2025-01');
    assert.deepEqual(Object.keys(encoded.metadata ?? {}).sort(), ['encoding', KEY_ID_METADATA].sort());
    const raw = text(encoded.data);
    for (const clear of [payment.to, payment.amount, 'payout', 'json/plain']) assert.ok(!raw.includes(clear), clear);
    const [decoded] = await codec.decode([encoded]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded as Payload), payment);
    assert.equal(text(decoded?.metadata?.encoding), 'json/plain', 'the inner metadata comes back too');
  });

  it('draws a fresh IV for every payload: the same payload never encrypts the same way twice', async () => {
    const same = jsonPayload(payment);
    const encoded = await codec.encode(Array.from({ length: 50 }, () => same));
    const ivs = new Set(
      encoded.map((p) =>
        Buffer.from(p.data as Uint8Array)
          .subarray(0, 12)
          .toString('hex'),
      ),
    );
    assert.equal(ivs.size, 50);
    const bodies = new Set(encoded.map((p) => Buffer.from(p.data as Uint8Array).toString('hex')));
    assert.equal(bodies.size, 50);
  });

  it('round-trips payloads of every size, binary and empty ones included (pinned seed)', async () => {
    const random = seeded(21);
    const payloads: Payload[] = [{}, { metadata: {}, data: new Uint8Array() }];
    for (let i = 0; i < 200; i++) {
      const size = Math.floor(random() * 4096);
      const data = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
      payloads.push({ metadata: { encoding: Buffer.from('binary/plain'), extra: Buffer.from(String(i)) }, data });
    }
    const decoded = await codec.decode(await codec.encode(payloads));
    assert.equal(decoded.length, payloads.length);
    decoded.forEach((payload, i) => {
      const expected = payloads[i] as Payload;
      assert.deepEqual(Buffer.from(payload.data ?? new Uint8Array()), Buffer.from(expected.data ?? new Uint8Array()));
      const metadata = (p: Payload) =>
        Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('hex')]));
      assert.deepEqual(metadata(payload), metadata(expected));
    });
  });

  it('passes an unencrypted payload through, as histories written before the codec hold', async () => {
    const clear = jsonPayload(payment);
    const [decoded] = await codec.decode([clear]);
    assert.equal(decoded, clear);
  });

  it('keeps decrypting under the old key after a rotation, and encrypts under the new one', async () => {
    const [underA] = await new EncryptionCodec(ring('a', { a: keyA })).encode([jsonPayload(payment)]);
    const rotated = new EncryptionCodec(ring('b', { a: keyA, b: keyB }));
    const [underB] = await rotated.encode([jsonPayload(payment)]);
    assert.equal(text(underB?.metadata?.[KEY_ID_METADATA]), 'b');
    const decoded = await rotated.decode([underA as Payload, underB as Payload]);
    for (const payload of decoded) assert.deepEqual(defaultPayloadConverter.fromPayload(payload), payment);
  });

  it('refuses a payload under a key it does not hold, naming the key id and nothing secret', async () => {
    const [underA] = await new EncryptionCodec(ring('a', { a: keyA })).encode([jsonPayload(payment)]);
    const withoutA = new EncryptionCodec(ring('b', { b: keyB }));
    await assert.rejects(withoutA.decode([underA as Payload]), (error: Error) => {
      assert.ok(error instanceof PayloadDecryptionError);
      assert.match(error.message, /key "a", which the codec keys \(TEMPORAL_CODEC_KEYS_FILE\) do not hold/);
      assert.ok(!error.message.includes(keyA.toString('base64')) && !error.message.includes(keyB.toString('base64')));
      return true;
    });
  });

  it('refuses an altered payload, a key id swapped for another, and a truncated one', async () => {
    const both = new EncryptionCodec(ring('a', { a: keyA, b: keyB }));
    const [sealed] = await both.encode([jsonPayload(payment)]);
    const data = Buffer.from(sealed?.data as Uint8Array);
    const flipped = Buffer.from(data);
    flipped[20] = (flipped[20] as number) ^ 1;
    const altered = { metadata: sealed?.metadata, data: flipped };
    await assert.rejects(both.decode([altered]), /does not authenticate: it was altered/);
    const swapped = { metadata: { ...sealed?.metadata, [KEY_ID_METADATA]: Buffer.from('b') }, data };
    await assert.rejects(both.decode([swapped]), /under key "b" does not authenticate/);
    const short = { metadata: sealed?.metadata, data: data.subarray(0, 20) };
    await assert.rejects(both.decode([short]), /too short/);
    const anonymous = { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data };
    await assert.rejects(both.decode([anonymous]), /carries no encryption-key-id/);
  });

  it('only decrypts with encrypt: false, so every process can hold the keys before any encrypts', async () => {
    const [sealed] = await codec.encode([jsonPayload(payment)]);
    const decryptOnly = new EncryptionCodec(ring('2025-01', { '2025-01': keyA }), { encrypt: false });
    assert.equal(decryptOnly.encryptKeyId, undefined);
    const clear = jsonPayload(payment);
    assert.deepEqual(await decryptOnly.encode([clear]), [clear]);
    const [decoded] = await decryptOnly.decode([sealed as Payload]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded as Payload), payment);
  });
});
