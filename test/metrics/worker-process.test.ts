import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkerMetric } from '../../src/observability/metric-names';
import { workflowHeapMiB } from '../../src/temporal/workflow-cache';
import { freePort } from '../support/free-port';
import { killTree } from '../support/process-tree';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { scrape, sumOf } from './prometheus-text';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the worker process (src/worker.ts): its metrics endpoint and its logs', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  let worker: ChildProcess | undefined;
  let stderr = '';
  before(async () => {
    stack = await startPaymentStack({ timeScale: 10, inProcessWorker: false });
  });
  after(async () => {
    killTree(worker?.pid, 'SIGKILL'); // the worker started itself again: its launcher's child too
    await stack?.stop();
  });

  it('serves SDK and product metrics on WORKER_METRICS_ADDRESS and logs only pino lines, no secrets', async () => {
    const b = stack.sandbox.bootstrap;
    const address = `127.0.0.1:${await freePort()}`;
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...stack.temporalEnv,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        DFNS_BASE_URL: stack.sandbox.url,
        DFNS_ORG_ID: b.orgId,
        DFNS_AUTH_TOKEN: b.authToken,
        DFNS_CRED_ID: b.credId,
        DFNS_PRIVATE_KEY: b.privateKey,
        WORKER_METRICS_ADDRESS: address,
        LOG_LEVEL: 'info',
        ...stack.bindingsEnv,
      },
    });
    worker.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const { paymentId } = await stack.client.start({
      idempotencyKey: `worker-process-${Date.now()}`,
      walletId: b.walletId,
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      amount: '1000000000000000',
    });
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');

    let samples = (await scrape(`http://${address}/metrics`)).samples;
    for (let i = 0; i < 20 && sumOf(samples, WorkerMetric.paymentsFinished, { status: 'Confirmed' }) < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      samples = (await scrape(`http://${address}/metrics`)).samples;
    }
    assert.equal(sumOf(samples, WorkerMetric.dfnsCalls, { operation: 'submitTransfer', outcome: 'ok' }), 1);
    assert.equal(sumOf(samples, WorkerMetric.paymentsFinished, { status: 'Confirmed' }), 1);
    assert.ok(sumOf(samples, 'temporal_workflow_completed') >= 1);

    const lines = stderr.trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>); // every line is JSON
    assert.ok(records.some((r) => r.msg === 'worker running' && r.name === 'worker'));
    // The heap limits it runs with: the workflow thread's from its cache (384 at the default 512 MiB), and its own.
    const running = records.find((r) => r.msg === 'worker running')!;
    assert.equal(running.maxCachedWorkflows, 384);
    assert.equal(running.workflowHeapMiB, workflowHeapMiB(384));
    assert.ok(typeof running.mainHeapMiB === 'number' && running.mainHeapMiB > 0, JSON.stringify(running));
    assert.ok(records.some((r) => r.msg === 'dfns call' && r.paymentId === paymentId && r.sdkComponent === 'activity'));
    const pemLine =
      b.privateKey.split('\n').find((line) => line.length > 20 && !line.startsWith('-----')) ?? b.privateKey;
    assert.ok(!stderr.includes(b.authToken), 'the auth token reached a log line');
    assert.ok(!stderr.includes(pemLine), 'the private key reached a log line');
  });
});
