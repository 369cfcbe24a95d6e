// What the payload codec costs: the same payments end to end with every payload encrypted (the encrypted worker, app
// and client of the stack) and in clear, alternated in one run at one level, and the codec alone on a payment's
// start input.
import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { paymentIdFor } from '../src/contracts/payment-id';
import type { PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { EncryptionCodec } from '../src/temporal/encryption-codec';
import { benchRequest, runPhase, type PhaseResult } from './end-to-end';
import type { BenchStack } from './stack';
import { figure, ratio, renderTable } from './stats';

/** What the comparison measured. */
export interface CodecResult {
  level: number;
  /** In the order run: in clear, encrypted, encrypted, in clear. */
  phases: PhaseResult[];
  /** The codec alone: encode then decode of one payment's start input, repeated. */
  micro: { payloads: number; bytes: number; microsPerPayload: number };
}

/**
 * Runs payments `level` at a time in clear and encrypted, in the order clear, encrypted, encrypted, clear, so that
 * drift on a shared machine weighs on both alike.
 */
export async function runCodecComparison(
  stack: BenchStack,
  options: { level: number; count: number; timeBoundMs: number; tag: string; log: (line: string) => void },
): Promise<CodecResult> {
  const phases: PhaseResult[] = [];
  for (const [i, kind] of (['payment', 'encrypted', 'encrypted', 'payment'] as const).entries()) {
    const { level, count, timeBoundMs } = options;
    const phase = await runPhase(stack, { kind, level, count, timeBoundMs, tag: `${options.tag}c${i}` });
    options.log(`codec: ${kind} × ${level} in flight: ${phase.loop.count} in ${phase.loop.seconds.toFixed(1)} s`);
    if (phase.loop.firstError) options.log(`  first failure: ${phase.loop.firstError}`);
    phases.push(phase);
  }
  return { level: options.level, phases, micro: await codecAlone(stack) };
}

/** Encode + decode of the bench payment's start input, as the client and the worker each do once per payment. */
async function codecAlone(stack: BenchStack): Promise<CodecResult['micro']> {
  const codec = new EncryptionCodec({ encryptKeyId: 'bench', keys: new Map([['bench', randomBytes(32)]]) });
  const request = benchRequest(stack, 'bench-codec-alone');
  const input: PaymentWorkflowInput = { paymentId: paymentIdFor(request.idempotencyKey), request };
  const payload = defaultPayloadConverter.toPayload(input);
  const rounds = 20_000;
  for (let i = 0; i < 1_000; i++) await codec.decode(await codec.encode([payload]));
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await codec.decode(await codec.encode([payload]));
  const elapsedMs = performance.now() - t0;
  return { payloads: rounds, bytes: payload.data?.length ?? 0, microsPerPayload: (elapsedMs * 1000) / rounds };
}

/** The codec section of the report: each kind's own worker and app, the load generator as the client. */
export function codecTable(result: CodecResult): string {
  const sum = (kind: 'payment' | 'encrypted') => {
    const of = result.phases.filter((p) => p.kind === kind);
    const count = of.reduce((s, p) => s + p.loop.count, 0);
    const seconds = of.reduce((s, p) => s + p.loop.seconds, 0);
    const cpu = (name: string) => (of.reduce((s, p) => s + (p.cpu[name] ?? 0), 0) * 1000) / Math.max(1, count);
    const own =
      kind === 'encrypted' ? { worker: 'encryptedWorker', app: 'encryptedApp' } : { worker: 'worker', app: 'app' };
    return {
      count,
      failed: of.reduce((s, p) => s + p.loop.failed, 0),
      perSecond: seconds > 0 ? count / seconds : Number.NaN,
      p50: of.reduce((s, p) => s + p.loop.p50, 0) / Math.max(1, of.length),
      worker: cpu(own.worker),
      app: cpu(own.app),
      client: cpu('bench'),
    };
  };
  const [clear, encrypted] = [sum('payment'), sum('encrypted')];
  const r = ratio(encrypted.perSecond, clear.perSecond);
  const row = (label: string, s: typeof clear, versus: string) => [
    label,
    `${s.count}${s.failed ? ` (${s.failed} not confirmed)` : ''}`,
    figure(s.perSecond),
    figure(s.p50, 0),
    figure(s.worker, 2),
    figure(s.app, 2),
    figure(s.client, 2),
    versus,
  ];
  const header = ['payloads', 'done', 'per s', 'p50 ms', 'CPU ms/payment: worker', 'app', 'client', 'per s ratio'];
  const table = renderTable(header, [row('in clear', clear, '(reference)'), row('encrypted', encrypted, figure(r, 2))]);
  const { micro } = result;
  const alone =
    `codec alone: encode + decode of a payment's start input (${micro.bytes} bytes of JSON): ` +
    `${figure(micro.microsPerPayload, 1)} µs (mean of ${micro.payloads})`;
  return `${table}\n${alone}`;
}
