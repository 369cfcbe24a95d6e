// `npm run chaos -- --n N`: N payments through the real stack (Temporal dev server, sandbox, worker, app) under
// webhook, HTTP, chain and process faults and hostile webhooks; then every final state against the sandbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../src/run-main';
import type { ChaosData, ForgeryAttempt, SandboxTransfer } from './chaos-data';
import { parseChaosArgs, USAGE } from './chaos-options';
import { startChaosStack, type ChaosStack } from './chaos-stack';
import { checkChaos, clean, counts } from './checker';
import { disrupt } from './disruptions';
import { forgeryRound, type ForgeryRoom } from './forgeries';
import { followPayments, rereadPayments, startPayments } from './payments-driver';
import { proveChecker } from './planted-faults';
import { replayRun } from './replay-check';
import { printSummary } from './summary';
import { killEveryChild } from './processes';
import { appliedFaults, armFaults, disarmFaults, type FaultPlan } from './sandbox-faults';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Short, so stale replays can be made within a run; genuine deliveries are sent with a fresh timestamp. */
const TOLERANCE_SECONDS = 15;

async function groundTruth(stack: ChaosStack): Promise<SandboxTransfer[]> {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/transfers`);
  return ((await res.json()) as { items: SandboxTransfer[] }).items;
}

runMain('chaos', async () => {
  const parsed = parseChaosArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if (parsed.message === 'help') return console.log(USAGE);
    console.error(`chaos: ${parsed.message}\n${USAGE}`);
    process.exit(2);
  }
  const options = parsed.options;
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutSeconds * 1000;
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const plan: FaultPlan = {
    dropPct: options.dropPct,
    duplicatePct: options.duplicatePct,
    reorderPct: options.reorderPct,
    reorderHoldMs: 1500,
    http429Pct: options.http429Pct,
    http5xxPct: options.http5xxPct,
    slowCount: Math.ceil(options.n / 25),
    slowMs: 3000,
    chainFailures: Math.ceil(options.n / 25),
  };
  console.log(`chaos: ${options.n} payments, bound ${options.timeoutSeconds} s, run directory ${dir}`);
  let stack: ChaosStack | undefined;
  const stopStack = async () => {
    const current = stack;
    stack = undefined;
    await current?.stop();
  };
  // Interrupted: no orderly stop (a part may be half started); every child goes at once.
  process.once('SIGINT', () => (killEveryChild(), process.exit(130)));
  process.once('SIGTERM', () => (killEveryChild(), process.exit(143)));
  process.once('exit', killEveryChild);
  let ok = false;
  try {
    const progress = (message: string) => console.log(`chaos: ${message} (${elapsed()})`);
    stack = await startChaosStack({ dir, timeScale: 10, webhookToleranceSeconds: TOLERANCE_SECONDS, progress });
    const live = stack;
    await armFaults(live.sandboxUrl, plan);
    const runStart = Date.now();

    const runId = Date.now().toString(36);
    const { records, started } = startPayments(live, { n: options.n, perSecond: options.perSecond, runId, deadline });
    let startsDone = false;
    void started.finally(() => (startsDone = true));
    const max = Math.max(2, Math.ceil(options.n / 200));
    const disruptions = disrupt(live, { firstAfterMs: 4000, everyMs: 10_000, max, deadline });
    const forgeries: ForgeryAttempt[] = [];
    const quota = Math.max(3, Math.ceil(options.n / 20));
    const room = (perRound: number): ForgeryRoom => {
      const left = (kind: ForgeryAttempt['kind']) =>
        Math.min(perRound, quota - forgeries.filter((forgery) => forgery.kind === kind).length);
      return { forged: left('forged'), modified: left('modified'), stale: left('stale') };
    };
    const roomLeft = () => Object.values(room(quota)).some((left) => left > 0);
    const forging = (async () => {
      const settled = () => startsDone && records.every((record) => record.final);
      while (Date.now() < deadline && roomLeft() && !settled()) {
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const round = room(Math.ceil(quota / 4));
        forgeries.push(...(await forgeryRound(live, { room: round, toleranceSeconds: TOLERANCE_SECONDS })));
      }
    })();

    // Faults stay armed until every payment is final or the bound is reached.
    await followPayments(live, records, { deadline, startsDone: () => startsDone, progress });
    await started;
    await disruptions.stop();
    const applied = await appliedFaults(live.sandboxUrl);
    await disarmFaults(live.sandboxUrl);
    await forging;
    // Whatever the rounds could not post (a short run has few old deliveries): the rest now, from any delivery.
    if (roomLeft()) {
      const oldest = Date.now() - runStart;
      if (oldest < (TOLERANCE_SECONDS + 4) * 1000) await sleep((TOLERANCE_SECONDS + 4) * 1000 - oldest);
      const rest = { room: room(quota), toleranceSeconds: TOLERANCE_SECONDS, anyAge: true };
      forgeries.push(...(await forgeryRound(live, rest)));
    }
    await rereadPayments(live, records);
    const data: ChaosData = { payments: records, transfers: await groundTruth(live), forgeries };
    const verdict = checkChaos(data);
    const proof = proveChecker(data, verdict);
    progress("replaying every history of the run against the worker's bundle");
    const replay = await replayRun(live.temporalAddress, live.workflowBundlePath, live.codecKeysFile);
    const replayed = replay.failed.length === 0 && replay.histories >= replay.counted && replay.caughtKnown;
    ok = clean(verdict) && proof.every((result) => result.caught) && replayed;
    printSummary({
      n: options.n,
      seconds: (Date.now() - runStart) / 1000,
      boundSeconds: options.timeoutSeconds,
      plan,
      applied,
      disruptions: disruptions.counts,
      workerRestarts: live.workerRestarts(),
      data,
      verdict,
      proof,
      replay,
    });
    if (!ok) console.log(`problems: ${JSON.stringify(counts(verdict))}; logs kept in ${dir}/logs`);
  } finally {
    await stopStack().catch(() => undefined);
    killEveryChild();
    if (ok && !options.keep) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(ok ? 0 : 1);
});
