import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { paymentDataConverter } from '../../src/temporal/data-converter';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../src/temporal/encryption-codec';
import { findResetPoint, replayHistories } from '../../src/temporal/replay-histories';
import { temporalCliPath } from '../support/temporal-cli';
import { bumpSignal, finishSignal, readableWorkflow, relayWorkflow } from '../support/workflows/readable-workflow';
import { freePort } from '../support/free-port';

const WORKFLOWS = fileURLToPath(new URL('../support/workflows/read-tests-index.ts', import.meta.url));
const CHANGED = fileURLToPath(new URL('../support/workflows/changed-readable.ts', import.meta.url));

describe('replaying every history of a namespace (Temporal CLI dev server)', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;
  before(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Already installed by another suite in this process.
    }
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: quiet });
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, port: await freePort() },
    });
  });
  after(async () => env?.teardown());

  it('replays every run, continued-as-new runs and running workflows included, and names the ones that fail', async () => {
    const taskQueue = 'replay-check';
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle });
    const running = await worker.runUntil(async () => {
      assert.equal(await env.client.workflow.execute(relayWorkflow, { taskQueue, workflowId: 'relay', args: [3] }), 3);
      const closed = await env.client.workflow.start(readableWorkflow, { taskQueue, workflowId: 'closed' });
      await closed.signal(bumpSignal);
      await closed.signal(finishSignal);
      await closed.result();
      const open = await env.client.workflow.start(readableWorkflow, { taskQueue, workflowId: 'open' });
      await open.signal(bumpSignal);
      return open;
    });
    // A run of code the bundle no longer matches.
    const changed = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'changed',
      workflowsPath: CHANGED,
    });
    await changed.runUntil(
      env.client.workflow.execute(readableWorkflow, { taskQueue: 'changed', workflowId: 'changed' }),
    );
    // Visibility catches up with the last close before counting.
    for (let i = 0; i < 100 && (await env.client.workflow.count()).count < 6; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const report = await replayHistories(env.client, { workflowBundle });
    assert.equal(report.counted, 6); // relay ×3 runs, closed, open, changed
    assert.equal(report.histories, 6);
    assert.equal(report.workflows, 4);
    assert.deepEqual(
      report.failed.map((failure) => failure.workflowId),
      ['changed'],
    );
    assert.match(report.failed[0]?.error ?? '', /TMPRL1100|[Nn]ondetermin/);
    await running.signal(finishSignal);
  });

  it('replays histories the worker encrypted through its codec, and cannot without it', async () => {
    const taskQueue = 'replay-check-encrypted';
    const codec = new EncryptionCodec({ encryptKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
    const dataConverter = paymentDataConverter(codec);
    const client = new Client({ connection: env.connection, dataConverter });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, dataConverter });
    const runs = await worker.runUntil(
      client.workflow.execute(relayWorkflow, { taskQueue, workflowId: 'encrypted', args: [2] }),
    );
    assert.equal(runs, 2);
    const visibility = "WorkflowId = 'encrypted'";
    for (let i = 0; i < 100 && (await client.workflow.count(visibility)).count < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // The server holds the run's input as ciphertext only.
    const history = await client.workflow.getHandle('encrypted').fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.equal(Buffer.from(input?.metadata?.encoding ?? new Uint8Array()).toString(), ENCRYPTED_ENCODING);

    const decrypted = await replayHistories(client, { workflowBundle, visibility, dataConverter });
    assert.equal(decrypted.histories, 2);
    assert.deepEqual(decrypted.failed, []);
    assert.equal(await findResetPoint(history, workflowBundle, 'encrypted', dataConverter), undefined);

    const withoutCodec = await replayHistories(env.client, { workflowBundle, visibility });
    assert.equal(withoutCodec.histories, 2);
    assert.equal(withoutCodec.failed.length, 2);
    assert.match(withoutCodec.failed[0]?.error ?? '', /binary\/encrypted/);
  });
});
