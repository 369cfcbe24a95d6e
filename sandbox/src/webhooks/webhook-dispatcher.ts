import { setTimeout as sleep } from 'node:timers/promises';
import { CLEAN_DELIVERY, takeWebhookFault, type DeliveryFault } from '../faults/fault-queues';
import { newId } from '../state/ids';
import type { Scheduler } from '../chain/scheduler';
import type { DeliveryJob, Webhook } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import type { DeliveryLog } from './delivery-log';
import { recordAttempt } from './webhook-event-log';
import type { WebhookEventKind } from './webhook-kinds';
import { postWebhook, type DeliveryOutcome, type WebhookEnvelope } from './webhook-post';

/** What the dispatcher needs; delays are real ms before the time scale divides them. */
export interface WebhookDispatcherDeps {
  store: StateStore;
  scheduler: Scheduler;
  time: TimeControl;
  /** Waits after attempt 1, 2, …; attempts in total = length + 1. */
  retryDelaysMs: readonly number[];
  /** Source of randomness for fault probabilities (injectable for tests). */
  random?: () => number;
  /** Where each raw signed delivery is logged as sent (for replay tests); none by default. */
  deliveryLog?: Pick<DeliveryLog, 'record' | 'applied'>;
}

/** Fans events out to subscribed webhooks and drives signed deliveries with retries and faults. */
export interface WebhookDispatcher {
  /** Queues one delivery per Enabled webhook subscribed to `kind` (or `'*'`). */
  emit(kind: WebhookEventKind, data: Record<string, unknown>): void;
  /** Delivers a one-off ping synchronously; not retried, not faulted, not recorded in the event log. */
  ping(webhook: Webhook): Promise<DeliveryOutcome>;
  /** Re-arms the persisted delivery jobs (after a restart or a time-scale change). */
  resume(): void;
  /** Forgets held deliveries and ignores the outcome of in-flight ones (the admin reset). */
  reset(): void;
  /** Aborts in-flight attempts; their jobs stay persisted and run again on the next start. */
  stop(): void;
}

/** A reordered delivery is sent after the next one, or after this long (scaled) if none follows. */
const REORDER_FALLBACK_MS = 1000;

/** Creates the dispatcher; importing this module starts nothing. */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { store, scheduler, time } = deps;
  const { state } = store;
  const random = deps.random ?? Math.random;
  const closing = new AbortController();
  // Held reordered deliveries: 'next' ones go out after the next delivery, 'timed' ones only when their hold ends.
  const held = new Map<string, 'next' | 'timed'>();
  let epoch = 0; // bumped by reset, so a delivery in flight during a reset records nothing
  const iso = (ms: number) => new Date(ms).toISOString();

  const schedule = (job: DeliveryJob) =>
    scheduler.at(`delivery:${job.id}`, job.dueAt, () => attempt(job.id, undefined));

  const dropJob = (jobId: string) => {
    const index = state.deliveries.findIndex((job) => job.id === jobId);
    if (index >= 0) state.deliveries.splice(index, 1);
  };

  const releaseHeld = () => {
    for (const [jobId, how] of held) {
      if (how === 'timed') continue;
      held.delete(jobId);
      scheduler.cancel(`release:${jobId}`);
      void attempt(jobId, CLEAN_DELIVERY);
    }
  };

  const hold = (jobId: string, holdMs: number) => {
    held.set(jobId, holdMs > 0 ? 'timed' : 'next');
    const waitMs = holdMs > 0 ? holdMs : time.scaled(REORDER_FALLBACK_MS);
    scheduler.at(`release:${jobId}`, time.now() + waitMs, () => {
      if (held.delete(jobId)) return attempt(jobId, CLEAN_DELIVERY);
    });
  };

  const attempt = async (jobId: string, forced: DeliveryFault | undefined) => {
    const job = state.deliveries.find((candidate) => candidate.id === jobId);
    if (!job || (forced === undefined && held.has(jobId))) return;
    const webhook = state.webhooks.find((candidate) => candidate.id === job.webhookId);
    // Dfns stops retrying once a webhook is deleted or disabled at the moment the attempt is due.
    if (!webhook || webhook.status !== 'Enabled') {
      dropJob(job.id);
      const previous = state.webhookEvents.find((event) => event.id === job.retryOf);
      if (previous) delete previous.nextAttemptDate;
      store.changed();
      return;
    }
    const fault = forced ?? takeWebhookFault(state.faults, random);
    if (forced === undefined) store.changed(); // a one-shot rule was consumed
    if (fault.reorder) {
      deps.deliveryLog?.applied('reordered');
      return hold(job.id, fault.reorderHoldMs);
    }
    const started = epoch;
    if (fault.delayMs > 0) await sleep(fault.delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (closing.signal.aborted || started !== epoch) return;
    const envelope: WebhookEnvelope = {
      id: newId('whe'),
      kind: job.kind,
      date: job.date,
      data: job.data,
      timestampSent: Math.floor(time.now() / 1000),
      deliveryAttempt: job.attempt,
      ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    };
    let outcome: DeliveryOutcome;
    if (fault.drop) {
      // Lost in the network after Dfns gave up: logged as an exhausted failure, never retried.
      outcome = { status: '0', ok: false, error: 'Dropped by sandbox fault injection (lost, not retried)' };
      deps.deliveryLog?.applied('dropped');
    } else {
      const post = async () => {
        const result = await postWebhook(webhook.url, webhook.secret, envelope, closing.signal);
        if (result.sent) {
          const { kind, id: eventId } = envelope;
          const at = { webhookId: webhook.id, url: webhook.url, eventId, kind, sentAt: Date.now() };
          deps.deliveryLog?.record({ ...at, ...result.sent, status: result.status });
        }
        return result;
      };
      outcome = await post();
      // Same attempt twice: same id, same body, same signature.
      if (fault.duplicate) {
        deps.deliveryLog?.applied('duplicated');
        await post();
      }
    }
    if (closing.signal.aborted || started !== epoch) return; // still persisted; runs again after a restart
    dropJob(job.id);
    const delay = fault.drop ? undefined : deps.retryDelaysMs[job.attempt - 1];
    let nextAttemptDate: string | undefined;
    if (!outcome.ok && delay !== undefined) {
      const dueAt = time.now() + time.scaled(delay);
      const retry: DeliveryJob = { ...job, id: newId('whd'), attempt: job.attempt + 1, retryOf: envelope.id, dueAt };
      state.deliveries.push(retry);
      schedule(retry);
      nextAttemptDate = iso(dueAt);
    }
    state.webhookEvents.push(recordAttempt(webhook.id, job.kind, envelope, outcome, nextAttemptDate));
    store.changed();
    releaseHeld();
  };

  return {
    emit(kind, data) {
      const date = iso(time.now());
      for (const webhook of state.webhooks) {
        if (webhook.status !== 'Enabled') continue;
        if (!webhook.events.includes('*') && !webhook.events.includes(kind)) continue;
        // Each job gets its own snapshot, so later mutations of the entity never leak into it.
        const job: DeliveryJob = {
          id: newId('whd'),
          webhookId: webhook.id,
          kind,
          date,
          data: structuredClone(data),
          attempt: 1,
          dueAt: time.now(),
        };
        state.deliveries.push(job);
        schedule(job);
      }
      store.changed();
    },
    ping(webhook) {
      // The real ping payload is unpublished; this one uses the ordinary envelope and signature.
      const envelope = {
        id: newId('whe'),
        kind: 'webhook.ping',
        date: iso(time.now()),
        data: { webhookId: webhook.id },
        timestampSent: Math.floor(time.now() / 1000),
        deliveryAttempt: 1,
      };
      return postWebhook(webhook.url, webhook.secret, envelope, closing.signal);
    },
    resume() {
      for (const job of state.deliveries) if (!held.has(job.id)) schedule(job);
    },
    reset() {
      epoch += 1;
      held.clear();
    },
    stop() {
      closing.abort();
    },
  };
}
