// What the payload codec costs: the same payments end to end on a stack that encrypts every payload and on one that
// does not, alternated in one run, and the codec alone on a payment's start input.
import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { paymentIdFor } from '../src/contracts/payment-id';
import type { PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { EncryptionCodec } from '../src/temporal/encryption-codec';
import { benchRequest, runPhase, type PhaseResult } from './end-to-end';
import type { BenchStack } from './stack';
import { figure, ratio, renderTable } from './stats';

/** One end-to-end phase, on the stack with the codec or without. */
export interface CodecPhase {
  codec: boolean;
  phase: PhaseResult;
}

/** What the comparison measured. */
export interface CodecResult {
  level: number;
  phases: CodecPhase[];
  /** The codec alone: encode then decode of one payment's start input, repeated. */
  micro: { payloads: number; bytes: number; microsPerPayload: number };
}

/**
 * Runs payments `level` at a time on the stack without the codec and on the one with it, in the order off, on, on,
 * off, so that drift on a shared machine weighs on both alike.
 */
export async function runCodecComparison(
  stacks: { off: BenchStack; on: BenchStack },
  options: { level: number; count: number; timeBoundMs: number; tag: string; log: (line: string) => void },
): Promise<CodecResult> {
  const phases: CodecPhase[] = [];
  for (const [i, codec] of [false, true, true, false].entries()) {
    const stack = codec ? stacks.on : stacks.off;
    const tag = `${options.tag}c${i}`;
    const { level, count, timeBoundMs } = options;
    const phase = await runPhase(stack, { kind: 'payment', level, count, timeBoundMs, tag });
    options.log(
      `codec ${codec ? 'on' : 'off'} × ${options.level}: ${phase.loop.count} in ${phase.loop.seconds.toFixed(1)} s`,
    );
    if (phase.loop.firstError) options.log(`  first failure: ${phase.loop.firstError}`);
    phases.push({ codec, phase });
  }
  return { level: options.level, phases, micro: await codecAlone(stacks.off) };
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

/** The codec section of the report. */
export function codecTable(result: CodecResult): string {
  const sum = (codec: boolean) => {
    const of = result.phases.filter((p) => p.codec === codec).map((p) => p.phase);
    const count = of.reduce((s, p) => s + p.loop.count, 0);
    const seconds = of.reduce((s, p) => s + p.loop.seconds, 0);
    const cpu = (name: string) => (of.reduce((s, p) => s + (p.cpu[name] ?? 0), 0) * 1000) / Math.max(1, count);
    const failed = of.reduce((s, p) => s + p.loop.failed, 0);
    const p50 = of.map((p) => p.loop.p50).reduce((a, b) => a + b, 0) / Math.max(1, of.length);
    return { count, failed, perSecond: seconds > 0 ? count / seconds : Number.NaN, p50, cpu };
  };
  const [off, on] = [sum(false), sum(true)];
  const r = ratio(on.perSecond, off.perSecond);
  const row = (label: string, s: typeof off, versus: string[]) => [
    label,
    `${s.count}${s.failed ? ` (${s.failed} not confirmed)` : ''}`,
    figure(s.perSecond),
    figure(s.p50, 0),
    figure(s.cpu('worker'), 2),
    figure(s.cpu('app'), 2),
    figure(s.cpu('bench'), 2),
    ...versus,
  ];
  const header = ['payloads', 'done', 'per s', 'p50 ms', 'CPU ms/payment: worker', 'app', 'client', 'per s ratio'];
  const table = renderTable(header, [row('in clear', off, ['(reference)']), row('encrypted', on, [figure(r, 2)])]);
  const { micro } = result;
  const alone =
    `codec alone: encode + decode of a payment's start input (${micro.bytes} bytes of JSON) ` +
    `${figure(micro.microsPerPayload, 1)} µs (mean of ${micro.payloads})`;
  return `${table}\n${alone}`;
}
