// The two kinds the memory benchmark compares: payments parked on a Dfns approval, and the bare workflow.
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../src/config';
import type { PaymentStack } from '../test/support/payment-stack';
import { startOurProcess, type OurProcess } from '../test/support/worker-process';
import { bareUpdateSignal } from './bare-workflow';
import type { KindResult } from './memory-report';
import { measure, type RunOptions } from './park-and-wake';

const root = fileURLToPath(new URL('..', import.meta.url));

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/**
 * What both workers run with besides their own settings: the image's MALLOC_ARENA_MAX and NODE_OPTIONS (see the
 * Dockerfile). MALLOC_ARENA_MAX from the bench's environment, and BENCH_WORKER_NODE_OPTIONS as the workers' NODE_OPTIONS,
 * override them, to try other settings without applying them to the bench itself.
 */
function tuning(): Record<string, string> {
  const inherited = childEnvironment();
  return {
    MALLOC_ARENA_MAX: inherited.MALLOC_ARENA_MAX || '2',
    NODE_OPTIONS: inherited.BENCH_WORKER_NODE_OPTIONS || '--max-old-space-size=256',
  };
}

export async function measurePayments(
  stack: PaymentStack,
  processes: OurProcess[],
  o: RunOptions,
): Promise<KindResult> {
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
  const approverClient = new DfnsApiClient({
    baseUrl: stack.sandbox.url,
    authToken: approver.authToken,
    signer: signer(approver.credId, approver.privateKey),
  });
  // Every payment above 10,000 USD waits for one approver, so each one parks in AwaitingApproval.
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
  const run = Date.now().toString(36);
  return measure(
    stack,
    processes,
    {
      name: 'payment',
      taskQueue: stack.taskQueue,
      startWorker: () =>
        startOurProcess(stack, 'src/worker.ts', [], {
          TEMPORAL_WORKFLOW_BUNDLE_PATH: `${root}/.local/bench/payment-workflows.js`,
          WORKER_MEMORY_MIB: String(o.memoryMiB),
          DFNS_REQUESTS_PER_MINUTE: '600000',
          LOG_LEVEL: 'info',
          ...tuning(),
        }),
      park: async (i) => {
        await stack.client.start({
          idempotencyKey: `bench-memory-${run}-${i}`,
          walletId: b.walletId,
          network: 'EthereumSepolia',
          asset: { kind: 'Erc20', contract: b.erc20.contract, symbol: 'USDC', decimals: 6 },
          to: RECIPIENT,
          amount: '15000000000',
        });
      },
      wake: async (_workflowId, approvalId) => {
        if (!approvalId) throw new Error('a parked payment without its DfnsApprovalId');
        const at = Date.now();
        await approverClient.policies.createApprovalDecision({ approvalId, body: { value: 'Approved' } });
        return at;
      },
    },
    o,
  );
}

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
          { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment(tuning()) },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
        return { child, output: () => output, exited };
      },
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
