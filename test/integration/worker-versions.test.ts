import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import proto, { type temporal } from '@temporalio/proto';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { checkWorkerHealth } from '../../src/temporal/worker-health';
import { createPaymentWorker, type PaymentWorkers } from '../../src/temporal/payment-worker';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { temporalCliPath } from '../support/temporal-cli';

const run = promisify(execFile);
const EventType = proto.temporal.api.enums.v1.EventType;
const DEPLOYMENT = 'payments-versions-test';

/**
 * Two versions of the payment worker side by side on one task queue, as a deploy runs them, on the Temporal CLI dev
 * server: a payment that started on v1 waits for an approval while v2 becomes the current version, takes a new
 * payment and confirms it; approved, the first payment finishes on v1, every workflow task and activity of it there.
 */
describe('two worker versions side by side (Worker Deployments, Temporal CLI dev server)', { timeout: 600_000 }, () => {
  let stack: PaymentStack;
  const workers: PaymentWorkers[] = [];
  const running: Promise<void>[] = [];
  before(async () => {
    stack = await startPaymentStack({
      inProcessWorker: false,
      timings: { firstPollAfterMs: 2_000, maxPollIntervalMs: 4_000, approvalPollIntervalMs: 2_000 },
    });
  });
  after(async () => {
    for (const worker of workers) worker.shutdown();
    await Promise.allSettled(running);
    await stack?.stop();
  });

  async function startVersion(buildId: string): Promise<PaymentWorkers> {
    const worker = await createPaymentWorker({
      ...stack.workerDeps,
      deployment: { deploymentName: DEPLOYMENT, buildId },
    });
    workers.push(worker);
    running.push(worker.run());
    return worker;
  }

  /** The deploy procedure's own commands (docs/operations.md), with the Temporal CLI. */
  const cli = (...args: string[]) =>
    run(temporalCliPath(), [...args, '--address', stack.temporalEnv.TEMPORAL_ADDRESS ?? '', '--output', 'json']);

  /** Retried while the server has not yet seen the version's pollers (it refuses a version without any). */
  async function untilAccepted(...args: string[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await cli(...args);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
  const setCurrent = (buildId: string) =>
    untilAccepted(
      'worker',
      'deployment',
      'set-current-version',
      '--deployment-name',
      DEPLOYMENT,
      '--build-id',
      buildId,
      '--yes',
    );
  const setRamping = (buildId: string, percentage: number) =>
    untilAccepted(
      'worker',
      'deployment',
      'set-ramping-version',
      '--deployment-name',
      DEPLOYMENT,
      '--build-id',
      buildId,
      '--percentage',
      String(percentage),
      '--yes',
    );

  async function until(paymentId: string, ok: (state: PaymentState) => boolean, what: string): Promise<PaymentState> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = await stack.client.getState(paymentId);
      if (ok(state)) return state;
      assert.ok(Date.now() < deadline, `${paymentId} never reached ${what}; it is ${state.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The build id of each workflow task completion and activity start in the payment's history. */
  async function buildIds(paymentId: string) {
    const history = await stack.env.client.workflow.getHandle(paymentId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    const of = (
      type: temporal.api.enums.v1.EventType,
      pick: (event: temporal.api.history.v1.IHistoryEvent) => string | null | undefined,
    ) => [...new Set(events.filter((event) => event.eventType === type).map((event) => pick(event) ?? 'none'))];
    return {
      tasks: of(
        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        (e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId,
      ),
      activities: of(
        EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        (e) => e.activityTaskStartedEventAttributes?.workerVersion?.buildId,
      ),
    };
  }

  const approver = () => {
    const a = stack.sandbox.bootstrap.approvers.find((x) => x.name === 'approver-1');
    if (!a) throw new Error('no sandbox approver');
    const signer = new AsymmetricKeySigner({ credId: a.credId, privateKey: a.privateKey });
    return {
      userId: a.userId,
      client: new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: a.authToken, signer }),
    };
  };
  const usdc = (key: string, amount: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', symbol: 'USDC', decimals: 6 },
    to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    amount,
  });

  it('a payment started on v1 finishes on v1 while v2, the current version, takes and confirms a new one', async () => {
    const a = approver();
    const b = stack.sandbox.bootstrap;
    const admin = new DfnsApiClient({
      baseUrl: stack.sandbox.url,
      authToken: b.authToken,
      orgId: b.orgId,
      signer: new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey }),
    });
    await admin.policies.createPolicy({
      body: {
        name: 'large payments',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10_000, currency: 'USD' } },
        action: {
          kind: 'RequestApproval',
          approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: [a.userId] } } }],
        },
        filters: { walletId: { in: [b.walletId] } },
      },
    });

    await startVersion('v1');
    await setCurrent('v1');
    const health = await checkWorkerHealth(stack.env.connection, {
      namespace: stack.env.namespace ?? 'default',
      taskQueue: stack.taskQueue,
    });
    assert.ok(health.healthy, health.detail); // the image's health check sees a versioned worker

    const first = await stack.client.start(usdc('versions-first', '15000000000'));
    const waiting = await until(first.paymentId, (s) => s.status === 'AwaitingApproval' && !!s.approvalId, 'approval');

    // The deploy: v2 starts beside v1, takes a share of new payments (ramping), then all of them (current).
    await startVersion('v2');
    await setRamping('v2', 50);
    await setCurrent('v2');
    const second = await stack.client.start(usdc('versions-second', '1500000'));
    assert.equal((await stack.client.waitForOutcome(second.paymentId)).status, 'Confirmed');

    // The first payment is still waiting, pinned to v1; approved, it finishes there.
    assert.equal((await stack.client.getState(first.paymentId)).status, 'AwaitingApproval');
    await a.client.policies.createApprovalDecision({ approvalId: waiting.approvalId!, body: { value: 'Approved' } });
    assert.equal((await stack.client.waitForOutcome(first.paymentId)).status, 'Confirmed');

    assert.deepEqual(await buildIds(first.paymentId), { tasks: ['v1'], activities: ['v1'] });
    assert.deepEqual(await buildIds(second.paymentId), { tasks: ['v2'], activities: ['v2'] });
    const described = await stack.env.client.workflow.getHandle(first.paymentId).describe();
    const versioning = described.raw.workflowExecutionInfo?.versioningInfo;
    assert.equal(versioning?.behavior, proto.temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    assert.equal(versioning?.deploymentVersion?.buildId, 'v1');

    // v2 is current; v1, no longer a target, drains (Temporal marks it drained once no pinned workflow is left on
    // it and its visibility grace has passed): then its workers may stop (docs/operations.md, the deploy steps).
    const { stdout } = await cli('worker', 'deployment', 'describe', '--name', DEPLOYMENT);
    const deployment = JSON.parse(stdout) as {
      routingConfig?: { currentVersionBuildID?: string };
      versionSummaries?: { BuildID?: string; drainageStatus?: string }[];
    };
    assert.equal(deployment.routingConfig?.currentVersionBuildID, 'v2', stdout);
    const v1 = deployment.versionSummaries?.find((version) => version.BuildID === 'v1');
    assert.ok(v1?.drainageStatus === 'draining' || v1?.drainageStatus === 'drained', stdout);
  });
});
