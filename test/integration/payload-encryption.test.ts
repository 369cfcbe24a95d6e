// Payloads encrypted before they reach Temporal, on the real stack: what Temporal stores and answers (read with the
// Temporal CLI, no codec) holds no recipient, amount, reference or operator reason in clear, for the start input, the
// activities, the webhook signals, an operator Update, the memo, the static summary and a query's answer; and the
// same CLI reads it all in clear through the app's codec endpoint with an operator's key, and not with a client's.
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApiKeyDirectory, createApiKeyVerifier, mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { createCodecApp } from '../../src/codec/codec-app';
import { listenForCodec, type CodecListener } from '../../src/codec/codec-listener';
import { sessionSecret } from '../../src/codec/codec-session';
import { paymentStateQuery } from '../../src/contracts/payment-messages';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { ENCRYPTED_ENCODING } from '../../src/temporal/encryption-codec';
import { captureLogs } from '../logging/log-capture';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { temporalCliPath } from '../support/temporal-cli';
import { paymentWorkflowBundle } from '../support/workflow-bundle-cache';

// Values that appear nowhere else: found in clear anywhere, they leaked.
const RECIPIENT = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const AMOUNT = '2718281';
const REFERENCE = 'invoice-8842-alice';
const CANCEL_REASON = 'duplicate-of-invoice-8841';
const IN_CLEAR = [
  RECIPIENT,
  RECIPIENT.toLowerCase(),
  RECIPIENT.slice(2, 12),
  AMOUNT,
  '2.718281',
  REFERENCE,
  CANCEL_REASON,
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('payloads encrypted before they reach Temporal', { timeout: 480_000 }, () => {
  let stack: PaymentStack;
  let codec: CodecListener;
  let confirmedId: string;
  let cancelledId: string;
  const operator = mintApiKey('ops', ['payloads:decode']);
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);

  const temporal = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const address = stack.temporalEnv.TEMPORAL_ADDRESS as string;
      execFile(
        temporalCliPath(),
        [...args, '--address', address, '--namespace', 'default'],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const withCodec = (key: string) => ['--codec-endpoint', codec.endpoint, '--codec-auth', `Bearer ${key}`];

  const request = (key: string, amount = AMOUNT): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount,
    reference: REFERENCE,
  });

  async function until(paymentId: string, ok: (s: PaymentState) => boolean, what: string): Promise<PaymentState> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await stack.client.getState(paymentId);
      if (ok(state)) return state;
      if (Date.now() > deadline) throw new Error(`${paymentId}: ${what} not reached; it is ${state.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  before(async () => {
    stack = await startPaymentStack({ timeScale: 20 });
    assert.ok(stack.codec, 'the test stack encrypts payloads');
    const entries = [operator, acme].map((k) => parseApiKeyEntry(k.entry));
    codec = await listenForCodec(
      createCodecApp({
        codec: stack.codec,
        verifyKey: createApiKeyVerifier(entries),
        keyById: createApiKeyDirectory(entries),
        sessionSecret: sessionSecret(stack.codec.keyring),
        uiUrl: 'http://127.0.0.1:8233',
        authFailuresPerMinute: 30,
        logger: captureLogs('codec').logger,
      }),
      '127.0.0.1:0',
    );

    // One payment to its end through webhooks; one held for approval and cancelled by an operator (an Update).
    confirmedId = (await stack.client.start(request('enc-confirmed'))).paymentId;
    const b = stack.sandbox.bootstrap;
    const admin = new DfnsApiClient({
      baseUrl: stack.sandbox.url,
      authToken: b.authToken,
      orgId: b.orgId,
      signer: new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey }),
    });
    const approvers = b.approvers.map((a) => a.userId);
    await admin.policies.createPolicy({
      body: {
        name: 'large payments',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10_000, currency: 'USD' } },
        action: {
          kind: 'RequestApproval',
          approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: approvers } } }],
        },
        filters: { walletId: { in: [b.walletId] } },
      },
    });
    cancelledId = (await stack.client.start(request('enc-cancelled', `${AMOUNT}000000`))).paymentId;
    await until(cancelledId, (s) => s.status === 'AwaitingApproval', 'AwaitingApproval');
    const cancelled = await stack.client.cancel(cancelledId, { operator: 'ops-alice', reason: CANCEL_REASON });
    assert.equal(cancelled.status, 'Cancelled');
    assert.equal((await stack.client.waitForOutcome(confirmedId)).status, 'Confirmed');
  });
  after(async () => {
    await codec?.close();
    await stack?.stop();
  });

  interface FoundPayload {
    path: string;
    encoding: string;
    /** The data as text, as a reader of the history would decode it. */
    text: string;
  }

  /** Every payload in a `temporal … -o json` document (objects with metadata.encoding and data, base64). */
  function payloadsOf(document: unknown, path = ''): FoundPayload[] {
    if (Array.isArray(document)) return document.flatMap((item, i) => payloadsOf(item, `${path}[${i}]`));
    if (!document || typeof document !== 'object') return [];
    const record = document as Record<string, unknown>;
    const metadata = record.metadata as Record<string, string> | undefined;
    if (metadata && typeof metadata.encoding === 'string') {
      const text = Buffer.from(typeof record.data === 'string' ? record.data : '', 'base64').toString('utf8');
      return [{ path, encoding: Buffer.from(metadata.encoding, 'base64').toString(), text }];
    }
    return Object.entries(record).flatMap(([key, value]) => payloadsOf(value, `${path}.${key}`));
  }

  /** All a reader without the codec can read of a document: its text and every payload's data decoded. */
  function readable(json: string): string {
    return [json, ...payloadsOf(JSON.parse(json)).map((p) => p.text)].join('\n');
  }

  /** Payloads Temporal keeps in clear by design: search attributes, and the SDK's patch markers (a patch's name). */
  const clearByDesign = (p: FoundPayload) =>
    p.path.includes('.searchAttributes.') || /markerRecordedEventAttributes\.details\.patch-data/.test(p.path);

  it('stores every payload of the history encrypted: nothing of the payment in clear', async () => {
    for (const paymentId of [confirmedId, cancelledId]) {
      const raw = await temporal('workflow', 'show', '--workflow-id', paymentId, '--output', 'json');
      assert.equal(raw.code, 0, raw.stderr);
      const text = readable(raw.stdout);
      for (const clear of IN_CLEAR) assert.ok(!text.includes(clear), `${paymentId}: "${clear}" in clear`);
      const payloads = payloadsOf(JSON.parse(raw.stdout)).filter((p) => !clearByDesign(p));
      assert.ok(payloads.length >= 8, `${paymentId}: only ${payloads.length} payloads found`);
      const clearOnes = payloads.filter((p) => p.encoding !== ENCRYPTED_ENCODING);
      assert.deepEqual(clearOnes, [], `${paymentId}: payloads not encrypted`);
      // The history does hold what the payment went through, by kind: signals and, for the cancelled one, the Update.
      assert.match(raw.stdout, /"signalName":\s*"paymentUpdate"/);
      if (paymentId === cancelledId) assert.match(raw.stdout, /"name":\s*"cancel"/);
    }
  });

  it('keeps the static summary and the memo encrypted too; search attributes stay readable and hold neither', async () => {
    const raw = await temporal('workflow', 'describe', '--workflow-id', confirmedId, '--output', 'json');
    assert.equal(raw.code, 0, raw.stderr);
    const text = readable(raw.stdout);
    for (const clear of IN_CLEAR) assert.ok(!text.includes(clear), `"${clear}" in clear`);
    assert.ok(!text.includes('USDC →'), 'the static summary is not in clear');
    const payloads = payloadsOf(JSON.parse(raw.stdout));
    const summary = payloads.filter((p) => p.path.includes('userMetadata.summary'));
    const memo = payloads.filter((p) => p.path.includes('.memo.'));
    assert.ok(summary.length > 0 && memo.length > 0, 'the description has a summary and a memo');
    for (const p of [...summary, ...memo]) assert.equal(p.encoding, ENCRYPTED_ENCODING, p.path);
    const status = payloads.find((p) => p.path.endsWith('.searchAttributes.indexedFields.PaymentStatus'));
    assert.equal(status?.text, '"Confirmed"', 'the status search attribute is readable without the codec');
  });

  it("answers a query encrypted: the worker encrypts the payment's state before Temporal relays it", async () => {
    const answer = await stack.env.connection.workflowService.queryWorkflow({
      namespace: 'default',
      execution: { workflowId: confirmedId },
      query: { queryType: paymentStateQuery.name },
    });
    const [payload] = answer.queryResult?.payloads ?? [];
    assert.equal(Buffer.from(payload?.metadata?.encoding ?? new Uint8Array()).toString(), ENCRYPTED_ENCODING);
    assert.ok(
      !Buffer.from(payload?.data ?? new Uint8Array())
        .toString('latin1')
        .includes(RECIPIENT),
    );
    // Through the SDK client (the codec decrypts) the same query reads the payment.
    const state = await stack.client.getState(confirmedId);
    assert.equal(state.request.to, RECIPIENT);
  });

  it('reads in clear through the codec endpoint with an operator key, and not with a client key', async () => {
    const show = (key: string) =>
      temporal('workflow', 'show', '--workflow-id', cancelledId, '--output', 'json', ...withCodec(key));
    const decoded = await show(operator.key);
    assert.equal(decoded.code, 0, decoded.stderr);
    const text = readable(decoded.stdout);
    for (const clear of [RECIPIENT, `${AMOUNT}000000`, REFERENCE, CANCEL_REASON]) {
      assert.ok(text.includes(clear), `"${clear}" not decoded`);
    }
    const clearOnes = payloadsOf(JSON.parse(decoded.stdout)).filter((p) => p.encoding === ENCRYPTED_ENCODING);
    assert.deepEqual(clearOnes, [], 'every payload decoded');
    const described = await temporal(
      'workflow',
      'describe',
      '--workflow-id',
      confirmedId,
      '--output',
      'json',
      ...withCodec(operator.key),
    );
    assert.equal(described.code, 0, described.stderr);
    assert.match(readable(described.stdout), /2\.718281 USDC → 0x5aAe…eAed on Ethereum Sepolia \(invoice-8842-alice\)/);

    const asClient = await show(acme.key);
    assert.notEqual(asClient.code, 0, 'the CLI reports the refused codec call');
    assert.equal(asClient.stdout, '', 'a client key reads nothing through the codec endpoint');
    const refused = await fetch(`${codec.endpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.key}` },
      body: JSON.stringify({ payloads: [] }),
    });
    assert.equal(refused.status, 403, 'what the CLI was told');
  });

  it("replay-check replays the encrypted histories with the worker's codec keys, and cannot without them", async () => {
    // The bundle the worker image carries, built once for both runs.
    const bundle = join(mkdtempSync(join(tmpdir(), 'replay-check-')), 'workflow-bundle.js');
    writeFileSync(bundle, (await paymentWorkflowBundle()).code);
    const replayCheck = (env: Record<string, string>): Promise<Run> =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/replay-main.ts', 'workflow', confirmedId],
          {
            cwd: new URL('../..', import.meta.url),
            env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_WORKFLOW_BUNDLE_PATH: bundle, ...env },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const withKeys = await replayCheck(stack.temporalEnv);
    assert.equal(withKeys.code, 0, withKeys.stdout + withKeys.stderr);
    assert.match(withKeys.stdout, /1 histories of 1 workflows replayed: 0 failed/);

    const { TEMPORAL_CODEC_KEYS_FILE, ...withoutKeys } = stack.temporalEnv;
    assert.ok(TEMPORAL_CODEC_KEYS_FILE);
    // Without the keys even the listing cannot be read (each run's memo is encrypted): a configuration error.
    const blind = await replayCheck(withoutKeys);
    assert.equal(blind.code, 1, blind.stdout + blind.stderr);
    assert.equal(
      blind.stderr.trim(),
      "replay-check: the namespace's payloads are encrypted: set TEMPORAL_CODEC_KEYS_FILE to the worker's codec keys",
    );
  });
});
