// The production topology, minus Docker: the Temporal server built from source (scripts/temporal-server.sh) on
// PostgreSQL, started from deploy/temporal/config/production.yaml with the TLS settings docker-compose.yml gives it
// (mTLS required) and certificates made by the script compose's operators run (scripts/temporal-certs.sh), and the
// project's real worker and CLI as the image runs them (compiled JavaScript, prebuilt workflow bundle, payloads
// encrypted) plus the bridge, all connecting through the connection factory with compose's worker certificate.
// Whoever reaches the frontend without a certificate of that CA can start, signal or terminate nothing.
// Run on its own: `npm run test:postgres` (builds dist/ first; a step of .ci/run).
import assert from 'node:assert/strict';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { paymentIdFor, transferExternalId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { PaymentStatusKey } from '../../src/contracts/search-attributes';
import { connectTemporalClient, lazyTemporalClient } from '../../src/temporal/connection';
import { temporalCliPath } from '../support/temporal-cli';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { serverBinaries, startPostgresTemporal, type PostgresTemporal } from '../support/postgres-temporal';
import {
  deploymentCertificates,
  generateTestCertificates,
  type DeploymentCertificates,
} from '../support/test-certificates';
import { killTree } from '../support/process-tree';
import { startOurProcess, startWorkerProcess, type OurProcess } from '../support/worker-process';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('a payment on Temporal server 1.29.1 on PostgreSQL, with mTLS', { timeout: 300_000 }, () => {
  let certs: DeploymentCertificates;
  let temporal: PostgresTemporal;
  let stack: PaymentStack;
  let worker: OurProcess | undefined;

  before(async () => {
    certs = deploymentCertificates();
    temporal = await startPostgresTemporal(certs);
    stack = await startPaymentStack({ timeScale: 10, inProcessWorker: false, temporal });
    worker = await startWorkerProcess(stack, { compiled: true });
  });
  after(async () => {
    killTree(worker?.child.pid, 'SIGKILL');
    await stack?.stop();
    await temporal?.stop();
    if (certs) rmSync(certs.secretsDir, { recursive: true, force: true });
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

  it('lets a client without a certificate of the CA start, signal or terminate nothing', async () => {
    // A workflow held open by an authorised client (nothing polls its queue): something worth attacking.
    const authorised = await connectTemporalClient(loadConfig(temporal.clientEnv), '5s');
    const owner = new Client({ connection: authorised, namespace: temporal.namespace });
    const target = `intrusion-target-${Date.now()}`;
    await owner.workflow.start('intrusionTarget', { workflowId: target, taskQueue: 'nobody-polls' });
    const foreign = generateTestCertificates(); // another CA, and a client certificate it signed
    const { address } = temporal;
    const attackers: Record<string, Record<string, string>> = {
      'no TLS at all': { TEMPORAL_ADDRESS: address, TEMPORAL_TLS: 'false' },
      'TLS without a client certificate': {
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
        TEMPORAL_TLS_SERVER_NAME: certs.serverName,
      },
      'a client certificate from another CA': {
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_CLIENT_CERT_PATH: foreign.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: foreign.clientKey,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
        TEMPORAL_TLS_SERVER_NAME: certs.serverName,
      },
    };
    try {
      for (const [who, env] of Object.entries(attackers)) {
        const connection = lazyTemporalClient(loadConfig(env), '2s');
        const intruder = new Client({ connection, namespace: temporal.namespace });
        const bounded = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + 5_000, fn);
        await assert.rejects(
          bounded(() =>
            intruder.workflow.start('paymentWorkflow', { workflowId: 'payment:intruder', taskQueue: 'payments' }),
          ),
          `${who}: start`,
        );
        const handle = intruder.workflow.getHandle(target);
        await assert.rejects(
          bounded(() => handle.signal('paymentUpdate', { forged: true })),
          `${who}: signal`,
        );
        await assert.rejects(
          bounded(() => handle.terminate('intruder')),
          `${who}: terminate`,
        );
        await connection.close();
      }
      // The Temporal CLI, as anyone who reached the port would use it: TLS, the right CA, no certificate.
      const cli = (...args: string[]) =>
        spawnSync(
          temporalCliPath(),
          [...args, '--address', address, '--tls-ca-path', certs.caCert, '--command-timeout', '10s'],
          {
            env: { PATH: process.env.PATH, HOME: certs.secretsDir },
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
      const tlsName = ['--tls-server-name', certs.serverName];
      const refused = (run: ReturnType<typeof cli>, what: string) => {
        assert.notEqual(run.status, 0, `the CLI ${what}: ${run.stdout}`);
        assert.doesNotMatch(run.stderr, /unknown flag|required flag/, 'refused by the server, not by the CLI');
      };
      refused(cli('workflow', 'terminate', '--workflow-id', target, ...tlsName), 'terminated');
      refused(cli('workflow', 'signal', '--workflow-id', target, '--name', 'paymentUpdate', ...tlsName), 'signalled');
      const start = ['workflow', 'start', '--type', 'paymentWorkflow', '--task-queue', 'payments'];
      refused(cli(...start, '--workflow-id', 'payment:intruder-cli', ...tlsName), 'started');

      // Nothing happened: the target still runs, untouched, and no intruder's workflow exists.
      const description = await owner.workflow.getHandle(target).describe();
      assert.equal(description.status.name, 'RUNNING');
      const events = (await owner.workflow.getHandle(target).fetchHistory()).events ?? [];
      assert.ok(!events.some((e) => e.workflowExecutionSignaledEventAttributes), 'no signal reached it');
      for (const id of ['payment:intruder', 'payment:intruder-cli']) {
        await assert.rejects(owner.workflow.getHandle(id).describe(), WorkflowNotFoundError, id);
      }
    } finally {
      await owner.workflow.getHandle(target).terminate('test over');
      await authorised.close();
      rmSync(foreign.dir, { recursive: true, force: true });
    }
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
