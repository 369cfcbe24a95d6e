import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { PaymentClient } from '../../src/client/payment-client';
import type { PaymentWorkflowInput } from '../../src/contracts/payment-messages';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { paymentDataConverter } from '../../src/temporal/data-converter';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { temporalCliPath } from '../support/temporal-cli';
import { testRequest } from '../support/time-skipping';
import { freePort } from '../support/free-port';

const STAND_IN = fileURLToPath(new URL('../support/workflows/unreplayable-payment.ts', import.meta.url));

// Payloads encrypted, as a deployment runs: the payment's input is read from its history through the codec.
const dataConverter = paymentDataConverter(
  new EncryptionCodec({ encryptKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) }),
);

describe('reading a completed payment whose history no longer replays', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      client: { dataConverter },
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        port: await freePort(),
        searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES],
      },
    });
  });
  after(async () => env?.teardown());

  it('answers with the outcome the workflow returned, and says the timeline is partial', async () => {
    const taskQueue = `unreplayable-${process.pid}`;
    const paymentId = 'payment:tenant:unreplayable-1';
    const input: PaymentWorkflowInput = { paymentId, clientId: 'tenant', request: testRequest('unreplayable-1') };
    // Run the stand-in to completion under the payment's type, then stop its worker.
    const standIn = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: STAND_IN,
      dataConverter,
    });
    await standIn.runUntil(
      env.client.workflow.execute(PAYMENT_WORKFLOW_TYPE, { workflowId: paymentId, taskQueue, args: [input] }),
    );
    // The real payment code now serves the queue: its replay of that history fails, so the query fails.
    const real = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      dataConverter,
    });
    const state = await real.runUntil(new PaymentClient(env.client, { taskQueue }).getState(paymentId));
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.transferId, 'xfr-unreplayable');
    assert.equal(state.txHash, `0x${'b'.repeat(64)}`);
    assert.deepEqual(state.request, input.request);
    assert.equal(state.clientId, 'tenant');
    const last = state.timeline.at(-1);
    assert.equal(last?.event, 'read from the outcome');
    assert.match(last?.note ?? '', /could not be replayed/);
  });
});
