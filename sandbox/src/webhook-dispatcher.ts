import { newId } from './ids';
import type { Scheduler } from './scheduler';
import type { DeliveryJob, Webhook } from './state';
import type { StateStore } from './state-store';
import type { WebhookEventKind } from './webhook-kinds';
import { postWebhook, type DeliveryOutcome, type WebhookEnvelope } from './webhook-post';

/** What the dispatcher needs; delays are real ms before `timeScale` divides them. */
export interface WebhookDispatcherDeps {
  store: StateStore;
  scheduler: Scheduler;
  now: () => number;
  timeScale: number;
  /** Waits after attempt 1, 2, …; attempts in total = length + 1. */
  retryDelaysMs: readonly number[];
}

/** Fans events out to subscribed webhooks and drives signed deliveries with retries. */
export interface WebhookDispatcher {
  /** Queues one delivery per Enabled webhook subscribed to `kind` (or `'*'`). */
  emit(kind: WebhookEventKind, data: Record<string, unknown>): void;
  /** Delivers a one-off ping synchronously; not retried and not recorded in the event log. */
  ping(webhook: Webhook): Promise<DeliveryOutcome>;
  /** Re-arms the persisted delivery jobs (after a restart). */
  resume(): void;
  /** Aborts in-flight attempts; their jobs stay persisted and run again on the next start. */
  stop(): void;
}

/** Creates the dispatcher; importing this module starts nothing. */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { store, scheduler, now } = deps;
  const { state } = store;
  const closing = new AbortController();
  const iso = (ms: number) => new Date(ms).toISOString();

  const schedule = (job: DeliveryJob) => scheduler.at(`delivery:${job.id}`, job.dueAt, () => attempt(job.id));

  const dropJob = (jobId: string) => {
    const index = state.deliveries.findIndex((job) => job.id === jobId);
    if (index >= 0) state.deliveries.splice(index, 1);
  };

  const attempt = async (jobId: string) => {
    const job = state.deliveries.find((candidate) => candidate.id === jobId);
    if (!job) return;
    const webhook = state.webhooks.find((candidate) => candidate.id === job.webhookId);
    // Dfns stops retrying once a webhook is deleted or disabled at the moment the attempt is due.
    if (!webhook || webhook.status !== 'Enabled') {
      dropJob(job.id);
      const previous = state.webhookEvents.find((event) => event.id === job.retryOf);
      if (previous) delete previous.nextAttemptDate;
      store.changed();
      return;
    }
    const envelope: WebhookEnvelope = {
      id: newId('whe'),
      kind: job.kind,
      date: job.date,
      data: job.data,
      timestampSent: Math.floor(now() / 1000),
      deliveryAttempt: job.attempt,
      ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    };
    const outcome = await postWebhook(webhook.url, webhook.secret, envelope, closing.signal);
    if (closing.signal.aborted) return; // the job is still persisted; it runs again after a restart
    dropJob(job.id);
    const delay = deps.retryDelaysMs[job.attempt - 1];
    let nextAttemptDate: string | undefined;
    if (!outcome.ok && delay !== undefined) {
      const retry: DeliveryJob = {
        ...job,
        id: newId('whd'),
        attempt: job.attempt + 1,
        retryOf: envelope.id,
        dueAt: now() + delay / deps.timeScale,
      };
      state.deliveries.push(retry);
      schedule(retry);
      nextAttemptDate = iso(retry.dueAt);
    }
    state.webhookEvents.push({
      id: envelope.id,
      webhookId: webhook.id,
      kind: job.kind,
      date: job.date,
      data: job.data,
      status: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
      timestampSent: envelope.timestampSent,
      deliveryAttempt: job.attempt,
      ...(job.retryOf ? { retryOf: job.retryOf } : {}),
      deliveryFailed: !outcome.ok,
      ...(nextAttemptDate ? { nextAttemptDate } : {}),
    });
    store.changed();
  };

  return {
    emit(kind, data) {
      const date = iso(now());
      for (const webhook of state.webhooks) {
        if (webhook.status !== 'Enabled') continue;
        if (!webhook.events.includes('*') && !webhook.events.includes(kind)) continue;
        // Each job gets its own snapshot, so later mutations of the transfer never leak into it.
        const job: DeliveryJob = {
          id: newId('whd'),
          webhookId: webhook.id,
          kind,
          date,
          data: structuredClone(data),
          attempt: 1,
          dueAt: now(),
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
        date: iso(now()),
        data: { webhookId: webhook.id },
        timestampSent: Math.floor(now() / 1000),
        deliveryAttempt: 1,
      };
      return postWebhook(webhook.url, webhook.secret, envelope, closing.signal);
    },
    resume() {
      for (const job of state.deliveries) schedule(job);
    },
    stop() {
      closing.abort();
    },
  };
}
