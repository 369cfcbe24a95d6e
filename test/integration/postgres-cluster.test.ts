// The production topology, minus Docker: the Temporal server built from source (scripts/temporal-server.sh) on
// PostgreSQL, started from deploy/temporal/config/production.yaml with mTLS required, and the project's real worker
// and CLI as the image runs them (compiled JavaScript, prebuilt workflow bundle) plus the bridge, all connecting
// through the connection factory with certificates made for this run.
// Run on its own: `npm run test:postgres` (builds dist/ first; a step of .ci/run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { paymentIdFor, transferExternalId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { PaymentStatusKey } from '../../src/contracts/search-attributes';
import { connectTemporalClient } from '../../src/temporal/connection';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { serverBinaries, startPostgresTemporal, type PostgresTemporal } from '../support/postgres-temporal';
import { generateTestCertificates, type TestCertificates } from '../support/test-certificates';
import { killTree } from '../support/process-tree';
import { startOurProcess, startWorkerProcess, type OurProcess } from '../support/worker-process';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('a payment on Temporal server 1.29.1 on PostgreSQL, with mTLS', { timeout: 300_000 }, () => {
  let certs: TestCertificates;
  let temporal: PostgresTemporal;
  let stack: PaymentStack;
  let worker: OurProcess | undefined;

  before(async () => {
    certs = generateTestCertificates();
    temporal = await startPostgresTemporal(certs);
    stack = await startPaymentStack({ timeScale: 10, inProcessWorker: false, temporal });
    worker = await startWorkerProcess(stack, { compiled: true });
  });
  after(async () => {
    killTree(worker?.child.pid, 'SIGKILL');
    await stack?.stop();
    await temporal?.stop();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('renders the server config with mTLS, and refuses half a TLS setup with a message naming what is missing', () => {
    const render = (env: Record<string, string>) =>
      spawnSync(serverBinaries().TEMPORAL_SERVER_PATH, ['--config', 'config', '--env', 'production', 'render-config'], {
        cwd: `${root}/deploy/temporal`,
        env: { PATH: process.env.PATH, POSTGRES_PWD: 'secret-password', ...env },
      });
    const full = render({
      TEMPORAL_TLS_SERVER_CERT: certs.serverCert,
      TEMPORAL_TLS_SERVER_KEY: certs.serverKey,
      TEMPORAL_TLS_SERVER_CA_CERT: certs.caCert,
      TEMPORAL_TLS_SERVER_NAME: certs.serverName,
    });
    assert.equal(full.status, 0, full.stderr.toString());
    const rendered = full.stdout.toString();
    assert.match(rendered, /requireClientAuth: true/);
    assert.match(rendered, /numHistoryShards: 128/);
    assert.ok(!rendered.includes('secret-password'), 'render-config masks the database password');
    const half = render({ TEMPORAL_TLS_SERVER_CERT: certs.serverCert });
    assert.notEqual(half.status, 0);
    const said = half.stderr.toString() + half.stdout.toString();
    assert.match(said, /TEMPORAL_TLS_SERVER_CERT needs TEMPORAL_TLS_SERVER_KEY/);
  });

  it('refuses a client without a certificate, and one that does not check the server', async () => {
    const { address } = temporal;
    const plaintext = loadConfig({ TEMPORAL_ADDRESS: address });
    await assert.rejects(connectTemporalClient(plaintext, '1s'), 'plaintext is refused');
    const noClientCert = loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
      TEMPORAL_TLS_SERVER_NAME: certs.serverName,
    });
    await assert.rejects(connectTemporalClient(noClientCert, '1s'), 'TLS without a client certificate is refused');
    const wrongName = loadConfig({ ...temporal.clientEnv, TEMPORAL_TLS_SERVER_NAME: 'someone-else.test' });
    await assert.rejects(connectTemporalClient(wrongName, '1s'), 'a certificate for another name is not trusted');
    const good = await connectTemporalClient(loadConfig(temporal.clientEnv), '3s');
    await good.close();
  });

  it('reaches Confirmed across a Temporal server restart mid-payment, with exactly one transfer in Dfns', async () => {
    const request: PaymentRequest = {
      idempotencyKey: 'pg-restart',
      walletId: stack.sandbox.bootstrap.walletId,
      network: stack.sandbox.bootstrap.network as PaymentRequest['network'],
      asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
      to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      amount: '2500000',
    };
    const { paymentId } = await stack.client.start(request);
    assert.equal(paymentId, paymentIdFor('pg-restart'));
    const externalId = transferExternalId(paymentId, 1);
    const deadline = Date.now() + 60_000;
    while (!(await stack.sandboxTransfers()).some((t) => t.externalId === externalId)) {
      assert.ok(Date.now() < deadline, `the transfer was never created; worker said:\n${worker?.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Dfns holds the transfer and will send its webhooks while the server is down: the bridge answers 503 and Dfns
    // redelivers, or the payment's silence timer reads Dfns once the server is back.
    await temporal.restart();
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed', `worker said:\n${worker?.output()}`);
    assert.match(outcome.txHash ?? '', /^0x[0-9a-f]{64}$/);
    const ours = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
    assert.equal(ours.length, 1, 'one transfer: nothing was submitted twice across the restart');
    assert.equal(ours[0]?.id, outcome.transferId);
    assert.equal(ours[0]?.status, 'Confirmed');
    assert.equal(worker?.child.exitCode, null, 'the same worker process carried the payment through the restart');

    // Visibility lives in PostgreSQL too: the search attribute an operator filters on reads Confirmed.
    const description = await stack.env.client.workflow.getHandle(paymentId).describe();
    assert.equal(description.typedSearchAttributes.get(PaymentStatusKey), 'Confirmed');

    // The worker's container health check sees it polling again after the restart, and no worker on another queue.
    const health = startOurProcess(stack, 'dist/worker-health.js');
    assert.equal(await health.exited, 0, health.output());
    assert.match(health.output(), /a worker on .* polls task queue/);
    const elsewhere = startOurProcess(stack, 'dist/worker-health.js', [], { TEMPORAL_TASK_QUEUE: 'no-such-queue' });
    assert.equal(await elsewhere.exited, 1, elsewhere.output());
    assert.match(elsewhere.output(), /no worker on .* polls task queue no-such-queue/);

    // The payments CLI reaches the same server through the same factory, certificate and all.
    const cli = startOurProcess(stack, 'dist/payments.js', ['status', paymentId]);
    assert.equal(await cli.exited, 0, cli.output());
    assert.match(cli.output(), new RegExp(`${paymentId}: Confirmed transfer=${outcome.transferId}`));
  });
});
