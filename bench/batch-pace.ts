// A batch at the default Dfns budget: how fast its payments go when the budget, not the engine, sets the pace. A
// stack of its own: the worker with no budget setting (DFNS_REQUESTS_PER_MINUTE's default, 1,000) and a sandbox that
// answers 429 past its default of 1,000 requests a minute, as Dfns documents for an org.
import { randomUUID } from 'node:crypto';
import { createTemporalBatches } from '../src/batches/temporal-batches';
import { DEFAULT_BATCH_CONCURRENCY } from '../src/batches/batch-service';
import type { BatchProgress } from '../src/contracts/batch-messages';
import type { BatchRow } from '../src/contracts/batch-row';
import { DFNS_SIGNED_COST } from '../src/contracts/task-queues';
import { DFNS_DEFAULT_REQUESTS_PER_MINUTE, dfnsBudget } from '../src/dfns/dfns-budget';
import { loadConfig } from '../src/config';
import { dfnsRequestTotal } from './end-to-end';
import { historyTiming } from './history-timing';
import { startBenchStack, type BenchStack } from './stack';

/** What the batch took, beside what the budget allows. */
export interface PaceResult {
  rows: number;
  concurrency: number;
  /** Batch start → every row final. */
  seconds: number;
  confirmed: number;
  /** Rows confirmed a second between 10 % and 90 % of the rows confirmed: the steady pace. */
  steadyPerSecond: number;
  /** Rows a second over the whole batch, ramp-up and tail included. */
  overallPerSecond: number;
  /** What the default budget gives the signed class: its share at 3 requests a call. */
  budgetPerSecond: number;
  /** The whole of Dfns's documented limit spent on signed calls alone. */
  ceilingPerSecond: number;
  dfnsRequests: number;
  /** Requests the sandbox answered 429 (past its 1,000 a minute). */
  rateLimited: number;
  /**
   * From 20 rows spread over the steady part: how long a submission waited on its budgeted queue (a backlog there
   * means the budget sets the pace) and how long a payment took from start to its end (rows in flight ÷ this is
   * the most the concurrency cap allows).
   */
  sample: { rows: number; submitWaitMs: number; paymentSeconds: number };
}

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one batch of `rows` happy USDC payments at the default concurrency, bounded by `timeBoundMs`. */
export async function runBatchPace(options: {
  rows: number;
  timeScale: number;
  timeBoundMs: number;
  log: (line: string) => void;
}): Promise<PaceResult> {
  const stack = await startBenchStack({ timeScale: options.timeScale, log: options.log, defaultBudget: true });
  try {
    const { walletId, network, erc20 } = stack.bootstrap;
    const tag = randomUUID().slice(0, 8);
    const rows: BatchRow[] = Array.from({ length: options.rows }, (_, i) => ({
      row: i + 1,
      key: `r${i + 1}`,
      body: {
        walletId,
        network: network as BatchRow['body']['network'],
        asset: { kind: 'Erc20', contract: erc20.contract, symbol: 'USDC', decimals: 6 },
        to: RECIPIENT,
        amount: '1500000',
      },
    }));
    const batches = createTemporalBatches(stack.client, { taskQueue: stack.taskQueue });
    const requestsBefore = await dfnsRequestTotal(stack);
    const began = Date.now();
    const started = await batches.start(undefined, `bench-pace-${tag}`, rows);
    if (started.kind !== 'started') throw new Error(`the batch did not start: ${started.kind}`);
    const batchId = started.progress.batchId;
    options.log(`batch ${batchId}: ${options.rows} rows, at most ${started.progress.concurrency} at once`);
    const confirmedAt: number[] = []; // ms since start at which the confirmed count first reached each value
    let progress: BatchProgress | undefined = started.progress;
    let lastLog = began;
    while (progress?.status !== 'Completed') {
      if (Date.now() - began > options.timeBoundMs) throw new Error(`the batch is not done after the time bound`);
      await sleep(500);
      progress = await batches.progress(batchId);
      const confirmed = progress?.byStatus.Confirmed.count ?? 0;
      while (confirmedAt.length < confirmed) confirmedAt.push(Date.now() - began);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        options.log(
          `batch: ${confirmed} of ${options.rows} confirmed after ${((lastLog - began) / 1000).toFixed(0)} s`,
        );
      }
    }
    const seconds = (Date.now() - began) / 1000;
    const confirmed = progress.byStatus.Confirmed.count;
    const from = confirmedAt[Math.floor(confirmed * 0.1)] ?? 0;
    const to = confirmedAt[Math.floor(confirmed * 0.9)] ?? seconds * 1000;
    const steadyPerSecond = (Math.floor(confirmed * 0.9) - Math.floor(confirmed * 0.1)) / ((to - from) / 1000);
    const { rateLimited } = (await (await fetch(`${stack.sandboxUrl}/_sandbox/requests`)).json()) as {
      rateLimited: number;
    };
    const budget = dfnsBudget(loadConfig({}));
    const sample = await sampleRows(stack, batchId, confirmed);
    return {
      rows: options.rows,
      concurrency: DEFAULT_BATCH_CONCURRENCY,
      seconds,
      confirmed,
      steadyPerSecond,
      overallPerSecond: confirmed / seconds,
      budgetPerSecond: budget.classRates.signed,
      ceilingPerSecond: DFNS_DEFAULT_REQUESTS_PER_MINUTE / 60 / DFNS_SIGNED_COST,
      dfnsRequests: (await dfnsRequestTotal(stack)) - requestsBefore,
      rateLimited,
      sample,
    };
  } finally {
    await stack.stop();
  }
}

/** Mean submit wait and payment duration over 20 rows between the first and last 10 % (see PaceResult.sample). */
async function sampleRows(stack: BenchStack, batchId: string, rows: number): Promise<PaceResult['sample']> {
  const started: { id: string; at: number }[] = [];
  const query = `BatchId = '${batchId}' AND WorkflowType = 'paymentWorkflow'`;
  for await (const w of stack.client.workflow.list({ query })) started.push({ id: w.workflowId, at: +w.startTime });
  const ids = started.sort((a, b) => a.at - b.at).map((w) => w.id); // in the order the batch started them
  const picked = Array.from({ length: 20 }, (_, i) => ids[Math.floor(((0.1 + (0.8 * i) / 20) * ids.length) | 0)]!);
  const histories = await Promise.all(picked.map((id) => stack.client.workflow.getHandle(id).fetchHistory()));
  const seconds = (h: (typeof histories)[number]) => {
    const at = (i: number) => {
      const t = h.events?.at(i)?.eventTime;
      return Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
    };
    return (at(-1) - at(0)) / 1000;
  };
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  return {
    rows: Math.min(rows, picked.length),
    submitWaitMs: mean(histories.map((h) => historyTiming(h).activityWaitMs)),
    paymentSeconds: mean(histories.map(seconds)),
  };
}
