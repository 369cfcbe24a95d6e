// The ways of running a worker the memory benchmark compares: the payment worker as the image starts it, as
// `npm run worker` starts it (no memory settings from outside: it sets its own), and the bare reference workflow's.
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PaymentClient } from '../src/client/payment-client';
import { childEnvironment } from '../src/config';
import type { PaymentStack } from '../test/support/payment-stack';
import { startOurProcess, type OurProcess } from '../test/support/worker-process';
import { bareUpdateSignal } from './bare-workflow';
import type { KindResult } from './memory-report';
import { measure, type RunOptions } from './park-and-wake';

const root = fileURLToPath(new URL('..', import.meta.url));

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** How a worker is started. */
export type Way = 'image' | 'npm' | 'bare';

export const WAYS: Record<Way, string> = {
  image:
    'node dist/worker.js, prebuilt bundle, NODE_OPTIONS=--max-old-space-size=256 MALLOC_ARENA_MAX=2 (the Dockerfile)',
  npm: 'node dist/worker.js with the bundle npm run build wrote (npm run worker): no memory settings from outside',
  bare: 'bench/bare-worker.ts, prebuilt bundle, the image settings (the reference workflow)',
};

/**
 * The image's settings (the Dockerfile's ENV). MALLOC_ARENA_MAX from the bench's environment, and
 * BENCH_WORKER_NODE_OPTIONS as the worker's NODE_OPTIONS, override them, to try other settings without applying them
 * to the bench itself.
 */
function imageSettings(): Record<string, string> {
  const inherited = childEnvironment();
  return {
    MALLOC_ARENA_MAX: inherited.MALLOC_ARENA_MAX || '2',
    NODE_OPTIONS: inherited.BENCH_WORKER_NODE_OPTIONS || '--max-old-space-size=256',
  };
}

/**
 * The timings every payment of the run starts with. Parked payments stay parked for the whole run, as a payment is
 * once past its first half hour: no fast approval polls (production: every 100 s for 30 min, then 15 min backing off
 * to 4 h), their next poll hours away. With fast polls, 10,000 payments parked within minutes would read Dfns about
 * 100 times a second, and the run would measure that traffic instead of what parked payments hold.
 */
export const PARKED_TIMINGS = {
  approvalFastWindowMs: 0,
  approvalPollIntervalMs: 6 * 3_600_000,
  maxApprovalPollIntervalMs: 6 * 3_600_000,
};

/** The sandbox's approver, and the policy that parks every payment above 10,000 USD until one approves it. */
export async function approvalPolicy(stack: PaymentStack): Promise<DfnsApiClient> {
  const b = stack.sandbox.bootstrap;
  const signer = (credId: string, privateKey: string) => new AsymmetricKeySigner({ credId, privateKey });
  const admin = new DfnsApiClient({
    baseUrl: stack.sandbox.url,
    authToken: b.authToken,
    orgId: b.orgId,
    signer: signer(b.credId, b.privateKey),
  });
  const approver = b.approvers[0];
  if (!approver) throw new Error('the sandbox has no approver');
  await admin.policies.createPolicy({
    body: {
      name: 'bench: approve large payments',
      activityKind: 'Wallets:Sign',
      rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10_000, currency: 'USD' } },
      action: {
        kind: 'RequestApproval',
        approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: [approver.userId] } } }],
      },
      filters: { walletId: { in: [b.walletId] } },
    },
  });
  return new DfnsApiClient({
    baseUrl: stack.sandbox.url,
    authToken: approver.authToken,
    signer: signer(approver.credId, approver.privateKey),
  });
}

/** The payment worker started the image's way or npm run worker's way, on a task queue of its own. */
export async function measurePayments(
  stack: PaymentStack,
  processes: OurProcess[],
  way: 'image' | 'npm',
  approver: DfnsApiClient,
  o: RunOptions,
): Promise<KindResult> {
  const b = stack.sandbox.bootstrap;
  const taskQueue = `${stack.taskQueue}-${way}`;
  const payments = new PaymentClient(stack.env.client, { taskQueue, timings: PARKED_TIMINGS });
  const run = `${way}-${Date.now().toString(36)}`;
  const request = (key: string, amount: string) => ({
    idempotencyKey: key,
    walletId: b.walletId,
    network: 'EthereumSepolia' as const,
    asset: { kind: 'Erc20' as const, contract: b.erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount,
  });
  const common = {
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_MEMORY_MIB: String(o.memoryMiB),
    // The budget would pace the 20,000 payments passing through, not measure the worker.
    DFNS_REQUESTS_PER_MINUTE: '600000',
    LOG_LEVEL: 'info',
  };
  return measure(
    stack,
    processes,
    {
      name: way,
      taskQueue,
      // Both run what npm run build wrote; npm run worker's way has no memory settings and starts itself again.
      startWorker: () =>
        startOurProcess(stack, 'dist/worker.js', [], {
          ...common,
          TEMPORAL_WORKFLOW_BUNDLE_PATH: `${root}/dist/workflow-bundle.js`,
          ...(way === 'image' ? imageSettings() : {}),
        }),
      // 1.5 USDC: below the approval policy, so it runs to Confirmed.
      pass: async (i) => {
        const { paymentId } = await payments.start(request(`bench-memory-${run}-passed-${i}`, '1500000'));
        const outcome = await payments.waitForOutcome(paymentId);
        if (outcome.status !== 'Confirmed') throw new Error(`${paymentId} ended ${outcome.status}`);
      },
      // 15,000 USDC: above it, so it parks in AwaitingApproval.
      park: async (i) => {
        await payments.start(request(`bench-memory-${run}-${i}`, '15000000000'));
      },
      wake: async (_workflowId, approvalId) => {
        if (!approvalId) throw new Error('a parked payment without its DfnsApprovalId');
        const at = Date.now();
        await approver.policies.createApprovalDecision({ approvalId, body: { value: 'Approved' } });
        return at;
      },
    },
    o,
  );
}

/** The bare reference workflow's worker, with the image's settings (nothing passes through it first). */
export async function measureBare(stack: PaymentStack, processes: OurProcess[], o: RunOptions): Promise<KindResult> {
  const taskQueue = `${stack.taskQueue}-bare`;
  const client = stack.env.client;
  return measure(
    stack,
    processes,
    {
      name: 'bare',
      taskQueue,
      startWorker: () => {
        const args = ['--import', 'tsx', 'bench/bare-worker.ts', stack.env.address, stack.env.namespace ?? 'default'];
        const child = spawn(
          process.execPath,
          [...args, taskQueue, String(o.cache), `${root}/.local/bench/bare-workflows.js`],
          { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment(imageSettings()) },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
        return { child, output: () => output, exited };
      },
      // No payments pass through it: it is the reference for the cost of a parked workflow only.
      park: async (i) => {
        await client.workflow.start('bareWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}` });
      },
      wake: async (workflowId) => {
        const at = Date.now();
        await client.workflow.getHandle(workflowId).signal(bareUpdateSignal, { status: 'Approved' });
        return at;
      },
    },
    o,
  );
}
