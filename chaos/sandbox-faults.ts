/** The fault mix of a run, as percentages and counts. */
export interface FaultPlan {
  /** Webhook deliveries dropped, duplicated and held back (percent of deliveries). */
  dropPct: number;
  duplicatePct: number;
  reorderPct: number;
  /** How long a reordered delivery is held (real ms): long enough for the same transfer's later events to pass it. */
  reorderHoldMs: number;
  /** Dfns calls answered 429, and 5xx (split between 500 and 503), in percent of calls. */
  http429Pct: number;
  http5xxPct: number;
  /** Transfer POSTs answered only after `slowMs` (the transfer is created at once), and how many. */
  slowCount: number;
  slowMs: number;
  /** Transfers that fail on chain (broadcast, then reverted). */
  chainFailures: number;
}

async function arm(sandboxUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`the sandbox refused ${path}: ${res.status} ${await res.text()}`);
}

/** Arms every fault of the plan through the sandbox's admin API. */
export async function armFaults(sandboxUrl: string, plan: FaultPlan): Promise<void> {
  await arm(sandboxUrl, '/faults/webhooks', {
    drop: plan.dropPct / 100,
    duplicate: plan.duplicatePct / 100,
    reorder: plan.reorderPct / 100,
    reorderHoldMs: plan.reorderHoldMs,
  });
  await arm(sandboxUrl, '/faults/http', { status: 429, probability: plan.http429Pct / 100, retryAfterSeconds: 1 });
  for (const status of [500, 503]) {
    await arm(sandboxUrl, '/faults/http', { status, probability: plan.http5xxPct / 200 });
  }
  if (plan.slowCount > 0) {
    await arm(sandboxUrl, '/faults/slow', {
      delayMs: plan.slowMs,
      count: plan.slowCount,
      method: 'POST',
      paths: '/wallets/',
    });
  }
  if (plan.chainFailures > 0) {
    await arm(sandboxUrl, '/faults/chain', { mode: 'fail-on-chain', count: plan.chainFailures });
  }
}

/** Turns every fault off, so the end of the run settles (late polls and redeliveries) without new faults. */
export async function disarmFaults(sandboxUrl: string): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`the sandbox refused DELETE /faults: ${res.status}`);
}

/** What the sandbox says it did: faults injected and applied, and Dfns calls served. */
export async function appliedFaults(sandboxUrl: string) {
  const requests = (await (await fetch(`${sandboxUrl}/_sandbox/requests`)).json()) as {
    counts: Record<string, number>;
    injected: Record<string, number>;
  };
  const log = (await (await fetch(`${sandboxUrl}/_sandbox/deliveries?limit=1`)).json()) as {
    faults: { dropped: number; duplicated: number; reordered: number };
  };
  const calls = Object.values(requests.counts).reduce((sum, count) => sum + count, 0);
  return { calls, injected: requests.injected, webhooks: log.faults };
}
