import { randomBytes } from 'node:crypto';
import { parseTransferExternalId } from '../src/contracts/payment-id';
import { webhookSignature } from '../sandbox/src/webhooks/webhook-signature';
import type { SentDelivery } from '../sandbox/src/webhooks/delivery-log';
import type { ForgeryAttempt } from './chaos-data';
import type { ChaosStack } from './chaos-stack';

/** The envelope fields a forgery reads or rewrites. */
interface Envelope {
  id: string;
  kind: string;
  data: { transferRequest?: { externalId?: string } & Record<string, unknown> };
}

const paymentOf = (envelope: Envelope) => {
  const externalId = envelope.data.transferRequest?.externalId;
  return externalId === undefined ? undefined : parseTransferExternalId(externalId)?.paymentId;
};

/** The raw deliveries the sandbox sent, oldest first. */
async function deliveries(stack: ChaosStack): Promise<SentDelivery[]> {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/deliveries`);
  return ((await res.json()) as { items: SentDelivery[] }).items;
}

async function post(stack: ChaosStack, body: string, headers: Record<string, string>): Promise<number> {
  try {
    const res = await fetch(`${stack.appUrl}/webhooks/dfns`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Changes one byte of the body: the last character of the event id, so a payment that took it would show it. */
function modified(entry: SentDelivery): { body: string; eventId: string } {
  const last = entry.eventId.at(-1) ?? '0';
  const eventId = `${entry.eventId.slice(0, -1)}${last === 'a' ? 'b' : 'a'}`;
  return { body: entry.body.replace(`"id":"${entry.eventId}"`, `"id":"${eventId}"`), eventId };
}

/** A made-up `wallet.transfer.failed` for a live transfer, fresh and well-formed, signed with a secret not Dfns's. */
function forged(entry: SentDelivery): { body: string; eventId: string; headers: Record<string, string> } {
  const original = JSON.parse(entry.body) as Envelope;
  const eventId = `whe-forged-${randomBytes(6).toString('hex')}`;
  const transferRequest = { ...original.data.transferRequest, status: 'Failed', reason: 'forged by chaos' };
  const body = JSON.stringify({
    id: eventId,
    kind: 'wallet.transfer.failed',
    date: new Date().toISOString(),
    data: { transferRequest },
    timestampSent: Math.floor(Date.now() / 1000),
    deliveryAttempt: 1,
  });
  const signature = webhookSignature(`whsec_${randomBytes(32).toString('base64url')}`, body);
  return { body, eventId, headers: { 'content-type': 'application/json', 'X-DFNS-WEBHOOK-SIGNATURE': signature } };
}

/** How many more of each kind a round may post. */
export type ForgeryRoom = Record<ForgeryAttempt['kind'], number>;

/**
 * One round of hostile webhooks, up to `room` of each kind: forged (wrong signature) and modified (one byte changed)
 * from deliveries sent in the last few seconds, about payments still in flight (with `anyAge`, from the latest ones
 * whatever their age); stale from deliveries older than the app's replay window, replayed byte for byte with their
 * genuine signature.
 */
export async function forgeryRound(
  stack: ChaosStack,
  options: { room: ForgeryRoom; toleranceSeconds: number; anyAge?: boolean },
): Promise<ForgeryAttempt[]> {
  const now = Date.now();
  const { room } = options;
  const all = (await deliveries(stack)).filter((entry) => entry.kind.startsWith('wallet.transfer.'));
  const recent = options.anyAge ? all : all.filter((entry) => now - entry.sentAt < 5000);
  const stale = all.filter((entry) => now - entry.sentAt > (options.toleranceSeconds + 3) * 1000);
  const attempts: ForgeryAttempt[] = [];
  const record = (kind: ForgeryAttempt['kind'], entry: SentDelivery, eventId: string, status: number) => {
    const paymentId = paymentOf(JSON.parse(entry.body) as Envelope);
    attempts.push({ kind, eventId, status, ...(paymentId ? { paymentId } : {}) });
  };
  for (const entry of room.forged > 0 ? recent.slice(-room.forged) : []) {
    const fake = forged(entry);
    record('forged', entry, fake.eventId, await post(stack, fake.body, fake.headers));
  }
  for (const entry of room.modified > 0 ? recent.slice(-room.modified) : []) {
    const changed = modified(entry);
    if (changed.body === entry.body) throw new Error(`cannot find the event id in delivery ${entry.eventId}`);
    record('modified', entry, changed.eventId, await post(stack, changed.body, entry.headers));
  }
  // Spread the stale replays over the log rather than always the oldest ones.
  const step = Math.max(1, Math.floor(stale.length / Math.max(1, room.stale)));
  const picked = room.stale > 0 ? stale.filter((_, index) => index % step === 0).slice(0, room.stale) : [];
  for (const entry of picked) record('stale', entry, entry.eventId, await post(stack, entry.body, entry.headers));
  return attempts;
}
