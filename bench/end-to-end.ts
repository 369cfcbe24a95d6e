// One end-to-end phase: payments (or the bare reference workflow) from start to Confirmed, N in flight, with the CPU
// each process spent and the Dfns requests the sandbox counted meanwhile.
import { PaymentClient } from '../src/client/payment-client';
import { paymentIdFor, transferExternalId } from '../src/contracts/payment-id';
import type { PaymentRequest } from '../src/contracts/payment-request';
import type { bareTransferWorkflow } from './bare-transfer-workflow';
import { closedLoop, type LoopResult } from './closed-loop';
import { cpuSeconds } from './processes';
import type { BenchStack } from './stack';

/**
 * The kinds of workflow measured against each other: payments untraced, traced and with every payload encrypted,
 * and the bare reference.
 */
export type Kind = 'payment' | 'traced' | 'encrypted' | 'bare';

/** What one phase measured. */
export interface PhaseResult {
  kind: Kind;
  level: number;
  loop: LoopResult;
  /** CPU seconds each process spent during the phase. */
  cpu: Record<string, number>;
  /** Dfns requests the sandbox received during the phase (every route, signing handshake included). */
  dfnsRequests: number;
  /** Workflow ids that reached Confirmed, for their histories. */
  confirmed: string[];
}

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** The same happy USDC payment for both kinds: 1.5 USDC on the sandbox's EthereumSepolia wallet. */
export function benchRequest(stack: BenchStack, idempotencyKey: string): PaymentRequest {
  const { walletId, network, erc20 } = stack.bootstrap;
  return {
    idempotencyKey,
    walletId,
    network: network as PaymentRequest['network'],
    asset: { kind: 'Erc20', contract: erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount: '1500000',
    reference: `bench ${idempotencyKey}`,
  };
}

/** The sandbox's request counter: the total of every Dfns route since it started. */
export async function dfnsRequestTotal(stack: BenchStack): Promise<number> {
  const response = await fetch(`${stack.sandboxUrl}/_sandbox/requests`);
  const { counts } = (await response.json()) as { counts: Record<string, number> };
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** CPU seconds of every process of the stack, plus this one (the load generator). */
export function cpuSnapshot(stack: BenchStack): Record<string, number> {
  const snapshot: Record<string, number> = {};
  for (const [name, process] of Object.entries(stack.processes)) snapshot[name] = cpuSeconds(process.child.pid);
  const own = process.cpuUsage();
  snapshot.bench = (own.user + own.system) / 1e6;
  return snapshot;
}

/** after - before, per process. */
export const cpuDelta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]));

/** Runs `count` workflows of `kind`, `level` at a time, each timed from its start to its Confirmed outcome. */
export async function runPhase(
  stack: BenchStack,
  options: { kind: Kind; level: number; count: number; timeBoundMs: number; tag: string },
): Promise<PhaseResult> {
  const { kind, level, tag } = options;
  const payments =
    kind === 'traced'
      ? new PaymentClient(stack.tracedClient, { taskQueue: stack.tracedTaskQueue })
      : kind === 'encrypted'
        ? new PaymentClient(stack.encryptedClient, { taskQueue: stack.encryptedTaskQueue })
        : new PaymentClient(stack.client, { taskQueue: stack.taskQueue });
  const confirmed: string[] = [];
  const runOne = async (index: number) => {
    const request = benchRequest(stack, `bench-${tag}-${kind}-${level}-${index}`);
    let id: string;
    let status: string;
    if (kind !== 'bare') {
      ({ paymentId: id } = await payments.start(request));
      ({ status } = await payments.waitForOutcome(id));
    } else {
      id = paymentIdFor(request.idempotencyKey);
      const handle = await stack.client.workflow.start<typeof bareTransferWorkflow>('bareTransferWorkflow', {
        workflowId: id,
        taskQueue: stack.bareTaskQueue,
        args: [{ request, externalId: transferExternalId(id, 1) }],
      });
      ({ status } = await handle.result());
    }
    if (status !== 'Confirmed') throw new Error(`${id} ended ${status}`);
    confirmed.push(id);
  };
  // A traced payment's webhooks go to the traced app, an encrypted one's to the encrypted app, others to the plain one.
  await stack.webhooksTo(kind === 'traced' || kind === 'encrypted' ? kind : 'plain');
  const cpuBefore = cpuSnapshot(stack);
  const requestsBefore = await dfnsRequestTotal(stack);
  const loop = await closedLoop({ count: options.count, concurrency: level, timeBoundMs: options.timeBoundMs }, runOne);
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(stack));
  const dfnsRequests = (await dfnsRequestTotal(stack)) - requestsBefore;
  return { kind, level, loop, cpu, dfnsRequests, confirmed };
}
