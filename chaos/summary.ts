import type { ChaosData } from './chaos-data';
import { counts, type ChaosVerdict } from './checker';
import type { DisruptionCounts } from './disruptions';
import type { PlantResult } from './planted-faults';
import type { ReplayCheck } from './replay-check';
import type { appliedFaults, FaultPlan } from './sandbox-faults';

/** Everything the summary prints. */
export interface SummaryInput {
  n: number;
  seconds: number;
  boundSeconds: number;
  plan: FaultPlan;
  applied: Awaited<ReturnType<typeof appliedFaults>>;
  disruptions: DisruptionCounts;
  workerRestarts: number;
  data: ChaosData;
  verdict: ChaosVerdict;
  proof: PlantResult[];
  replay: ReplayCheck;
}

const tally = (values: string[]) => {
  const byValue = new Map<string, number>();
  for (const value of values) byValue.set(value, (byValue.get(value) ?? 0) + 1);
  return [...byValue].map(([value, count]) => `${value} ${count}`).join(', ');
};

/** Prints the run's summary: what was injected, how payments ended, the four counts and the checker's proof. */
export function printSummary(s: SummaryInput): void {
  const { plan, applied, data } = s;
  const injected = Object.entries(applied.injected)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const c = counts(s.verdict);
  const lines = [
    `chaos: ${s.n} payments, ${s.seconds.toFixed(1)} s (bound ${s.boundSeconds} s)`,
    `  webhooks  drop ${plan.dropPct}%, duplicate ${plan.duplicatePct}%, reorder ${plan.reorderPct}% ` +
      `(held ${plan.reorderHoldMs} ms): dropped ${applied.webhooks.dropped}, duplicated ` +
      `${applied.webhooks.duplicated}, reordered ${applied.webhooks.reordered}`,
    `  Dfns HTTP 429 ${plan.http429Pct}%, 5xx ${plan.http5xxPct}% of calls: ${injected || 'none'} injected ` +
      `of ${applied.calls} calls; ${plan.slowCount} slow answers (${plan.slowMs} ms); ` +
      `${plan.chainFailures} transfers failed on chain`,
    `  processes worker kill -9 ×${s.disruptions.workerKills} (worker starts after the first: ${s.workerRestarts}), ` +
      `Temporal dev server restarts ×${s.disruptions.temporalRestarts}`,
    `  hostile   ${tally(data.forgeries.map((forgery) => `${forgery.kind}`)) || 'none'} webhooks posted; answers: ` +
      `${tally(data.forgeries.map((forgery) => String(forgery.status))) || 'none'}`,
    `  outcomes  ${tally(data.payments.map((payment) => payment.final?.status ?? 'not final')) || 'none'}; ` +
      `${data.transfers.length} sandbox transfers`,
    `  lost ${c.lost} · duplicate ${c.duplicate} · mismatched ${c.mismatched} · accepted forgeries ${c.acceptedForgeries}`,
    `  read from the outcome (history did not replay; reported, not counted above): ` +
      `${data.payments.filter((payment) => payment.final?.fromOutcome).length}`,
    `  replay    ${s.replay.histories} histories (${s.replay.workflows} workflows; visibility counted ` +
      `${s.replay.counted} runs) replayed against the worker's bundle: ${s.replay.failed.length} did not replay`,
    `  checker proof (planted in a copy of this run's data):`,
    ...s.proof.map((result) => `    ${result.caught ? 'caught' : 'MISSED'}  ${result.name} → ${result.catches}`),
    `    ${s.replay.caughtKnown ? 'caught' : 'MISSED'}  the known unreplayable history (chaos/findings) → replay`,
    ...s.replay.failed
      .slice(0, 10)
      .map((failure) => `  did not replay: ${failure.workflowId} ${failure.runId} ${failure.error}`),
  ];
  for (const [name, findings] of Object.entries(s.verdict)) {
    for (const finding of (findings as { why: string; paymentId?: string }[]).slice(0, 10)) {
      lines.push(`  ${name}: ${finding.paymentId ?? ''} ${finding.why}`);
    }
  }
  console.log(lines.join('\n'));
}
