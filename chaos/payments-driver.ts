import { paymentIdFor } from '../src/contracts/payment-id';
import { TERMINAL_STATUSES, type PaymentRecord, type PaymentSnapshot } from './chaos-data';
import { CHAOS_CLIENT, type ChaosStack } from './chaos-stack';

/** A checksummed recipient (EIP-55 test vector); every payment sends a few wei there. */
const RECIPIENT = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fields the checker needs from an API payment view. */
interface PaymentView {
  status: string;
  attempt: number;
  externalId: string;
  transferId?: string;
  txHash?: string;
  timeline: { deliveryId?: string; event?: string }[];
}

function snapshotOf(view: PaymentView): PaymentSnapshot {
  return {
    status: view.status,
    attempt: view.attempt,
    externalId: view.externalId,
    ...(view.transferId !== undefined ? { transferId: view.transferId } : {}),
    ...(view.txHash !== undefined ? { txHash: view.txHash } : {}),
    deliveryIds: view.timeline.flatMap((entry) => (entry.deliveryId ? [entry.deliveryId] : [])),
    // The API read the payment from its outcome: its history did not replay (src/client/closed-payment-state.ts).
    ...(view.timeline.at(-1)?.event === 'read from the outcome' ? { fromOutcome: true } : {}),
  };
}

/**
 * Starts one payment through the API, retrying with the same Idempotency-Key (so a retry can never make a second
 * payment) until it is accepted or the deadline passes: Temporal restarts answer 503 for a while.
 */
async function startOne(stack: ChaosStack, record: PaymentRecord, key: string, amount: string, deadline: number) {
  const body = JSON.stringify({
    walletId: stack.walletId,
    network: stack.network,
    asset: { kind: 'Native' },
    to: RECIPIENT,
    amount,
    reference: `chaos ${key}`,
  });
  const headers = {
    authorization: `Bearer ${stack.apiKey}`,
    'content-type': 'application/json',
    'idempotency-key': key,
  };
  for (let wait = 250; Date.now() < deadline; wait = Math.min(wait * 2, 4000)) {
    try {
      const res = await fetch(`${stack.appUrl}/v1/payments`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 200 || res.status === 201) {
        record.accepted = true;
        record.last = snapshotOf((await res.json()) as PaymentView);
        return;
      }
      await res.arrayBuffer();
      if (res.status < 500 && res.status !== 429) throw new Error(`the API refused payment ${key}: ${res.status}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the API refused')) throw error;
      // Connection refused or timed out: try again.
    }
    await sleep(wait);
  }
}

/**
 * Starts `n` payments at most `perSecond`, each retried until accepted, with at most `inFlight` starts waiting for an
 * answer (a client that piled up retries while Temporal restarts would only measure its own storm). Returns the
 * records at once; they fill in as starts are accepted.
 */
export function startPayments(
  stack: ChaosStack,
  options: { n: number; perSecond: number; runId: string; deadline: number; inFlight?: number },
): { records: PaymentRecord[]; started: Promise<void> } {
  const keys = Array.from({ length: options.n }, (_, i) => `chaos-${options.runId}-${i}`);
  // Every payment has its record from the start: one never started within the bound counts as lost.
  const records = keys.map((key): PaymentRecord => ({ paymentId: paymentIdFor(key, CHAOS_CLIENT), accepted: false }));
  const starts = new Set<Promise<void>>();
  const limit = options.inFlight ?? 16;
  const started = (async () => {
    for (const [i, key] of keys.entries()) {
      if (Date.now() >= options.deadline) break;
      while (starts.size >= limit) await Promise.race(starts);
      const record = records[i] as PaymentRecord;
      const start = startOne(stack, record, key, String(1000 + i), options.deadline).finally(() =>
        starts.delete(start),
      );
      starts.add(start);
      await sleep(1000 / options.perSecond);
    }
    await Promise.all(starts);
  })();
  return { records, started };
}

async function readPayment(stack: ChaosStack, record: PaymentRecord): Promise<PaymentView | undefined> {
  try {
    const res = await fetch(`${stack.appUrl}/v1/payments/${encodeURIComponent(record.paymentId)}`, {
      headers: { authorization: `Bearer ${stack.apiKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
      record.lastError = `HTTP ${res.status} ${problem.title ?? problem.detail ?? ''}`.trim();
      return undefined;
    }
    return (await res.json()) as PaymentView;
  } catch (error) {
    record.lastError = (error as Error).message;
    return undefined;
  }
}

/**
 * Reads every accepted payment that is not final yet through the API, a few at a time, once a second, until all are
 * final, `done()` says the starts are over and nothing is left, or the deadline passes.
 */
export async function followPayments(
  stack: ChaosStack,
  records: PaymentRecord[],
  options: { deadline: number; startsDone: () => boolean; concurrency?: number; progress?: (line: string) => void },
): Promise<void> {
  const concurrency = options.concurrency ?? 8;
  let reported = Date.now();
  while (Date.now() < options.deadline) {
    const open = records.filter((record) => record.accepted && !record.final);
    if (options.progress && Date.now() - reported >= 30_000) {
      reported = Date.now();
      const accepted = records.filter((record) => record.accepted).length;
      options.progress(`${accepted} of ${records.length} started, ${accepted - open.length} final`);
    }
    if (open.length === 0 && options.startsDone()) return;
    for (let i = 0; i < open.length; i += concurrency) {
      await Promise.all(
        open.slice(i, i + concurrency).map(async (record) => {
          const view = await readPayment(stack, record);
          if (!view) return;
          record.last = snapshotOf(view);
          if (TERMINAL_STATUSES.includes(view.status)) record.final = record.last;
        }),
      );
      if (Date.now() >= options.deadline) return;
    }
    await sleep(1000);
  }
}

/**
 * Reads every accepted payment once more after the hostile webhooks, so a forgery that changed a payment after it
 * was first seen final still shows (a changed status, or the forged event on its timeline).
 */
export async function rereadPayments(stack: ChaosStack, records: PaymentRecord[], concurrency = 8): Promise<void> {
  const accepted = records.filter((record) => record.accepted);
  for (let i = 0; i < accepted.length; i += concurrency) {
    await Promise.all(
      accepted.slice(i, i + concurrency).map(async (record) => {
        const view = await readPayment(stack, record);
        if (!view) return;
        record.last = snapshotOf(view);
        if (TERMINAL_STATUSES.includes(view.status)) record.final = record.last;
        else delete record.final;
      }),
    );
  }
}
