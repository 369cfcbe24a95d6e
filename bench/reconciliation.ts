// `npm run bench:reconciliation [-- --n 1000]`: the Dfns requests a reconciliation makes per 1,000 transfers, counted by
// the sandbox (GET /_sandbox/requests), on the real stack (Temporal dev server, worker, sandbox without a rate limit).
// N payments are paid through the orchestrator from one wallet, the wallet is reconciled (its first run: a baseline),
// N more are paid, and it is reconciled again (the look-back reads all 2N transfers again, the history the N new
// events). The reference beside it is the payments' own Dfns requests, from the same counter.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createTemporalReconciliations } from '../src/reconciliation/temporal-reconciliations';
import { startPaymentStack, type PaymentStack } from '../test/support/payment-stack';
import { figure, renderTable } from './stats';

const { values } = parseArgs({ options: { n: { type: 'string' } } });
const N = Number(values.n ?? '1000');
const log = (line: string) => console.error(`[bench:reconciliation] ${line}`);

const counts = async (stack: PaymentStack): Promise<Record<string, number>> =>
  ((await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as { counts: Record<string, number> }).counts;
const total = (c: Record<string, number>) => Object.values(c).reduce((sum, n) => sum + n, 0);
const delta = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([route, n]): [string, number] => [route, n - (before[route] ?? 0)])
      .filter(([, n]) => n !== 0),
  );

/** Pays `count` small native payments from the wallet, 40 at a time, and waits for every outcome. */
async function pay(stack: PaymentStack, walletId: string, prefix: string, count: number): Promise<void> {
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const started = await stack.client.start({
        idempotencyKey: `${prefix}-${i}`,
        walletId,
        network: 'EthereumSepolia',
        asset: { kind: 'Native' },
        to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
        amount: String(1000 + i),
      });
      const outcome = await stack.client.waitForOutcome(started.paymentId);
      if (outcome.status !== 'Confirmed') throw new Error(`${started.paymentId} ended ${outcome.status}`);
    }
  };
  await Promise.all(Array.from({ length: 40 }, one));
}

const stack = await startPaymentStack({ timeScale: 100, rateLimitPerMinute: 0 });
try {
  const walletId = stack.sandbox.bootstrap.walletId;
  const service = createTemporalReconciliations(stack.env.client, { taskQueue: stack.taskQueue, pools: [] });
  const scope = { kind: 'wallet' as const, walletId };
  const rows: string[][] = [];
  const runs: { label: string; transfers: number; requests: Record<string, number> }[] = [];
  for (const phase of ['first', 'second']) {
    const before = await counts(stack);
    const paying = Date.now();
    await pay(stack, walletId, `bench-${phase}`, N);
    const payments = delta(await counts(stack), before);
    log(`${N} payments (${phase}) in ${figure((Date.now() - paying) / 1000)} s, ${total(payments)} Dfns requests`);
    rows.push([
      `reference: ${N} payments (${phase})`,
      String(N),
      String(total(payments)),
      figure((total(payments) / N) * 1000, 0),
      '',
    ]);
    const start = await counts(stack);
    const outcome = await service.run(scope, { requestedBy: 'bench' }, 600_000);
    const requests = delta(await counts(stack), start);
    const wallet = outcome.state.runs.at(-1)?.wallets[0];
    const transfers = wallet?.transfers ?? 0;
    runs.push({ label: phase, transfers, requests });
    rows.push([
      `reconciliation run ${outcome.run} (${wallet?.balance ?? '?'}, ${wallet?.historyEvents ?? 0} history events)`,
      String(transfers),
      String(total(requests)),
      figure((total(requests) / transfers) * 1000, 1),
      `${outcome.state.book.findings.length} finding(s)`,
    ]);
  }
  console.log(
    `reconciliation benchmark: ${N} + ${N} payments from one wallet; ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`,
  );
  console.log(renderTable(['pass', 'transfers read', 'Dfns requests', 'per 1,000 transfers', 'result'], rows));
  for (const run of runs) console.log(`${run.label} run, requests by route: ${JSON.stringify(run.requests)}`);
} finally {
  await stack.stop();
}
