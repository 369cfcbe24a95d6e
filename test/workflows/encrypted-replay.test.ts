// Replay through the payload codec: a history recorded with its payloads encrypted under a key since retired
// (test/histories/encrypted-happy-path.json, its fixture key beside it) replays with today's key set, where a new key
// encrypts and the old one is kept to decrypt; without the old key it fails, naming it. And every history recorded in
// clear replays through the codec unchanged. `RECORD_HISTORIES=1` records the fixture when it is missing.
import { type DataConverter, type Payload } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { parseCodecKeys, type CodecKeyring } from '../../src/temporal/codec-keys';
import { paymentDataConverter } from '../../src/temporal/data-converter';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../src/temporal/encryption-codec';
import { FakeDfns } from '../support/fake-dfns';
import { HISTORIES_DIR } from '../support/histories';
import { startTimeSkipping, testInput, waitForState, withWorker } from '../support/time-skipping';
import { paymentWorkflowBundle } from '../support/workflow-bundle-cache';

const FIXTURE = 'encrypted-happy-path';
/** The key the fixture was recorded under: a test fixture committed beside it, not a secret of any deployment. */
const FIXTURE_KEYS = join(HISTORIES_DIR, `${FIXTURE}.codec-keys`);
const OLD_KEY_ID = '2025-01-fixture';
const TX = `0x${'b'.repeat(64)}`;

const converterFor = (keyring: CodecKeyring): DataConverter => paymentDataConverter(new EncryptionCodec(keyring));
const loadHistory = (name: string): unknown => JSON.parse(readFileSync(join(HISTORIES_DIR, `${name}.json`), 'utf8'));

/** Records the fixture: a happy payment on the time-skipping server, every payload encrypted under the old key. */
async function recordFixture(): Promise<void> {
  if (!existsSync(FIXTURE_KEYS)) {
    const line = `${OLD_KEY_ID} ${randomBytes(32).toString('base64')}`;
    writeFileSync(
      FIXTURE_KEYS,
      `# A test fixture, not a secret: the key ${FIXTURE}.json was recorded under.\n${line}\n`,
    );
  }
  const keys = parseCodecKeys(readFileSync(FIXTURE_KEYS, 'utf8'));
  const dataConverter = converterFor({ encryptKeyId: OLD_KEY_ID, keys });
  const { env, bundle } = await startTimeSkipping({ dataConverter });
  try {
    const fake = new FakeDfns();
    await withWorker(
      env,
      bundle,
      fake,
      async (taskQueue) => {
        const input = testInput('encrypted');
        const handle = await env.client.workflow.start<(i: PaymentWorkflowInput) => Promise<PaymentOutcome>>(
          PAYMENT_WORKFLOW_TYPE,
          { workflowId: input.paymentId, taskQueue, args: [input], staticSummary: 'recorded encrypted' },
        );
        const a1 = `${input.paymentId}:a1`;
        await waitForState(handle, (s) => s.status !== 'Accepted');
        await handle.signal(
          paymentUpdateSignal,
          fake.set(a1, { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'),
        );
        await handle.signal(paymentUpdateSignal, fake.set(a1, { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
        assert.equal((await handle.result()).status, 'Confirmed');
        await handle.query(paymentStateQuery);
        const history = await handle.fetchHistory();
        writeFileSync(join(HISTORIES_DIR, `${FIXTURE}.json`), `${historyToJSON(history)}\n`);
      },
      () => ({}),
      dataConverter,
    );
  } finally {
    await env.teardown();
  }
}

describe('replay through the payload codec', { timeout: 300_000 }, () => {
  let code: string;
  let oldKeys: Map<string, Buffer>;
  before(async () => {
    if (process.env.RECORD_HISTORIES === '1' && !existsSync(join(HISTORIES_DIR, `${FIXTURE}.json`))) {
      await recordFixture(); // installs the runtime itself
    }
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Already installed by another suite in this process, or by the recording.
    }
    oldKeys = parseCodecKeys(readFileSync(FIXTURE_KEYS, 'utf8'));
    ({ code } = await paymentWorkflowBundle());
  });

  it('holds a fixture whose payloads really are encrypted under the old key', () => {
    const history = historyFromJSON(loadHistory(FIXTURE));
    const payloads: Payload[] = [];
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      payloads.push(...(started?.input?.payloads ?? []));
      if (event.userMetadata?.summary) payloads.push(event.userMetadata.summary);
      payloads.push(...(event.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []));
      payloads.push(...(event.activityTaskScheduledEventAttributes?.input?.payloads ?? []));
      payloads.push(...(event.activityTaskCompletedEventAttributes?.result?.payloads ?? []));
      payloads.push(...(event.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []));
    }
    assert.ok(payloads.length >= 6, `${payloads.length} payloads`);
    for (const payload of payloads) {
      const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? new Uint8Array()).toString();
      assert.equal(text(payload.metadata?.encoding), ENCRYPTED_ENCODING);
      assert.equal(text(payload.metadata?.['encryption-key-id']), OLD_KEY_ID);
    }
    assert.ok(!JSON.stringify(loadHistory(FIXTURE)).includes('Confirmed'), 'no state in clear');
  });

  it('replays it with the rotated key set: a new key encrypts, the old one still decrypts', async () => {
    const keys = new Map([...oldKeys, ['2025-06-current', randomBytes(32)]]);
    const dataConverter = converterFor({ encryptKeyId: '2025-06-current', keys });
    await Worker.runReplayHistory(
      { workflowBundle: { code }, replayName: FIXTURE, dataConverter },
      loadHistory(FIXTURE),
    );
  });

  it('fails that replay, naming the key, once the old key is gone', async () => {
    const dataConverter = converterFor({
      encryptKeyId: '2025-06-current',
      keys: new Map([['2025-06-current', randomBytes(32)]]),
    });
    await assert.rejects(
      Worker.runReplayHistory(
        { workflowBundle: { code }, replayName: `${FIXTURE}-no-key`, dataConverter },
        loadHistory(FIXTURE),
      ),
      new RegExp(`key \\\\?"${OLD_KEY_ID}\\\\?", which the codec keys \\(TEMPORAL_CODEC_KEYS_FILE\\) do not hold`),
    );
  });

  it('replays every history recorded in clear through the codec: unencrypted payloads pass through', async () => {
    const dataConverter = converterFor({ encryptKeyId: 'current', keys: new Map([['current', randomBytes(32)]]) });
    const names = readdirSync(HISTORIES_DIR)
      .filter((file) => file.endsWith('.json') && file !== `${FIXTURE}.json`)
      .map((file) => file.replace(/\.json$/, ''));
    assert.ok(names.length >= 26, `${names.length} histories`);
    for (const name of names) {
      await Worker.runReplayHistory({ workflowBundle: { code }, replayName: name, dataConverter }, loadHistory(name));
    }
  });

  it('reads a recorded payment in clear through the codec, as a client holding the old key does', async () => {
    const history = historyFromJSON(loadHistory(FIXTURE));
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0] as Payload;
    const keys = new Map([...oldKeys, ['2025-06-current', randomBytes(32)]]);
    const codec = new EncryptionCodec({ encryptKeyId: '2025-06-current', keys });
    const [decoded] = await codec.decode([input]);
    const request = (JSON.parse(Buffer.from(decoded?.data ?? new Uint8Array()).toString()) as PaymentWorkflowInput)
      .request;
    assert.equal(request.to, '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359');
    assert.equal(request.amount, '1500000');
  });
});
