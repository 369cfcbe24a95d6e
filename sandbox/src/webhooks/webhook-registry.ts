import { z } from 'zod';
import { notFound } from '../http/errors';
import { newId, randomToken } from '../state/ids';
import type { Webhook, WebhookEvent } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import { WebhookSubscriptionSchema } from './webhook-kinds';

const common = {
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  events: z.array(WebhookSubscriptionSchema).min(1),
  status: z.enum(['Enabled', 'Disabled']).optional(),
  description: z.string().max(256).optional(),
};

/** `CreateWebhookBody` of @dfns/sdk: `POST /webhooks`. */
export const CreateWebhookBodySchema = z.strictObject(common);
/** `UpdateWebhookBody`: every field optional. */
export const UpdateWebhookBodySchema = z.strictObject(common).partial();

/** A webhook as the API shows it: the secret is returned by create only. */
export function publicWebhook(webhook: Webhook) {
  const { secret: _secret, ...rest } = webhook;
  return rest;
}

/** A recorded delivery attempt as the API shows it. */
export function publicEvent(event: WebhookEvent) {
  const { webhookId: _webhookId, ...rest } = event;
  return rest;
}

/** Builds a new webhook record with a fresh secret (used by the API and by bootstrap). */
export function buildWebhook(body: z.infer<typeof CreateWebhookBodySchema>, date: string): Webhook {
  // Format is a sandbox choice (Dfns's is unpublished): `whsec_` + 32 random bytes, base64url.
  return {
    id: newId('wh'),
    url: body.url,
    events: body.events,
    status: body.status ?? 'Enabled',
    ...(body.description !== undefined ? { description: body.description } : {}),
    dateCreated: date,
    dateUpdated: date,
    secret: `whsec_${randomToken(32)}`,
  };
}

/** Webhook CRUD over the state; deliveries are the dispatcher's business. */
export function createWebhookRegistry(deps: { store: StateStore; now: () => number }) {
  const { store } = deps;
  const { state } = store;
  const iso = () => new Date(deps.now()).toISOString();

  return {
    create(body: z.infer<typeof CreateWebhookBodySchema>): Webhook {
      const webhook = buildWebhook(body, iso());
      state.webhooks.push(webhook);
      store.changed();
      return webhook;
    },
    find(webhookId: string): Webhook | undefined {
      return state.webhooks.find((webhook) => webhook.id === webhookId);
    },
    get(webhookId: string): Webhook {
      const webhook = this.find(webhookId);
      if (!webhook) throw notFound('Webhook not found', { webhookId });
      return webhook;
    },
    update(webhookId: string, body: z.infer<typeof UpdateWebhookBodySchema>): Webhook {
      const webhook = this.get(webhookId);
      Object.assign(webhook, Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)));
      webhook.dateUpdated = iso();
      store.changed();
      return webhook;
    },
    /** Deletes the webhook with its event log; queued retries are dropped. */
    delete(webhookId: string): void {
      this.get(webhookId);
      state.webhooks = state.webhooks.filter((webhook) => webhook.id !== webhookId);
      state.webhookEvents = state.webhookEvents.filter((event) => event.webhookId !== webhookId);
      state.deliveries = state.deliveries.filter((job) => job.webhookId !== webhookId);
      store.changed();
    },
  };
}

/** The webhook registry. */
export type WebhookRegistry = ReturnType<typeof createWebhookRegistry>;
