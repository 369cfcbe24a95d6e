// The bridge against raw signals: the same updates reach the same kind of running workflow either as signed Dfns
// webhooks posted to the app's route, or as `paymentUpdate` signals a client sends Temporal directly.
import { paymentUpdateSignal } from '../src/contracts/payment-messages';
import type { PaymentUpdate } from '../src/contracts/payment-update';
import { dfnsWebhookEnvelopeSchema, interpretWebhook } from '../src/dfns/webhook-schema';
import { DFNS_SIGNATURE_HEADER, signDfnsWebhook } from '../src/dfns/webhook-signature';
import type { signalSinkWorkflow } from './bare-transfer-workflow';
import { closedLoop, type LoopResult } from './closed-loop';
import { cpuDelta, cpuSnapshot } from './end-to-end';
import type { BenchStack } from './stack';

/** One path's figures: the loop's, and the CPU each process spent on it. */
export interface BridgeResult {
  path: 'webhook' | 'signal';
  loop: LoopResult;
  cpu: Record<string, number>;
}

/** A delivery prepared ahead of the timed loop: its signed body, and the update the bridge would make of it. */
interface Delivery {
  workflowId: string;
  body: string;
  signature: string;
  update: PaymentUpdate;
}

const SINKS = 20;

/** A `wallet.transfer.broadcasted` delivery as the sandbox sends it, for the sink's externalId. */
function delivery(stack: BenchStack, workflowId: string, index: number): Delivery {
  const now = new Date();
  const envelope = {
    id: `whe-bench-${index}`,
    kind: 'wallet.transfer.broadcasted',
    date: now.toISOString(),
    timestampSent: Math.floor(now.getTime() / 1000),
    deliveryAttempt: 1,
    data: {
      transferRequest: {
        id: `xfr-bench-${index}`,
        walletId: stack.bootstrap.walletId,
        network: stack.bootstrap.network,
        status: 'Broadcasted',
        externalId: `${workflowId}:a1`,
        txHash: `0x${index.toString(16).padStart(64, '0')}`,
        fee: '1950000000000000',
        dateRequested: now.toISOString(),
        dateBroadcasted: now.toISOString(),
        requestBody: { kind: 'Erc20', to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', amount: '1500000' },
      },
    },
  };
  const body = JSON.stringify(envelope);
  const meaning = interpretWebhook(dfnsWebhookEnvelopeSchema.parse(envelope));
  if (meaning.kind !== 'update') throw new Error(`the bench webhook is not an update: ${meaning.kind}`);
  return { workflowId, body, signature: signDfnsWebhook(body, stack.bootstrap.webhookSecret), update: meaning.update };
}

/** Sends `count` updates down one path, `concurrency` at a time, to sink workflows started for it. */
export async function runBridgePath(
  stack: BenchStack,
  options: { path: BridgeResult['path']; count: number; concurrency: number; timeBoundMs: number; tag: string },
): Promise<BridgeResult> {
  const perSink = Math.ceil(options.count / SINKS);
  const sinks = await Promise.all(
    Array.from({ length: SINKS }, (_, i) =>
      stack.client.workflow.start<typeof signalSinkWorkflow>('signalSinkWorkflow', {
        workflowId: `payment:bench-${options.tag}-${options.path}-sink-${i}`,
        taskQueue: stack.bareTaskQueue,
        args: [perSink],
      }),
    ),
  );
  const deliveries = Array.from({ length: options.count }, (_, i) => delivery(stack, sinks[i % SINKS]!.workflowId, i));
  const url = `${stack.appUrl}/webhooks/dfns`;
  const send = async (index: number) => {
    const { workflowId, body, signature, update } = deliveries[index]!;
    if (options.path === 'signal')
      return stack.client.workflow.getHandle(workflowId).signal(paymentUpdateSignal, update);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [DFNS_SIGNATURE_HEADER]: signature },
      body,
    });
    const answer = await response.text();
    if (!response.ok || !answer.includes('"delivered"'))
      throw new Error(`bridge answered ${response.status} ${answer}`);
  };
  const before = cpuSnapshot(stack);
  const loop = await closedLoop(options, send);
  const cpu = cpuDelta(before, cpuSnapshot(stack));
  // Every sink got its share unless some deliveries failed: end the rest so nothing is left running.
  await Promise.all(sinks.map((sink) => sink.terminate('bench done').catch(() => undefined)));
  return { path: options.path, loop, cpu };
}
