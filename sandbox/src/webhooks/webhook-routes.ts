import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxEnv } from '../http/app-env';
import { notFound } from '../http/errors';
import { paginate, PageQuerySchema } from '../http/pagination';
import type { StateStore } from '../state/state-store';
import { parseOrThrow, readJsonBody } from '../http/validation';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEventKindSchema } from './webhook-kinds';
import {
  CreateWebhookBodySchema,
  publicEvent,
  publicWebhook,
  UpdateWebhookBodySchema,
  type WebhookRegistry,
} from './webhook-registry';

const EventsQuerySchema = PageQuerySchema.extend({
  kind: WebhookEventKindSchema.optional(),
  deliveryFailed: z.enum(['true', 'false']).optional(),
});

/** Webhook management and the delivery event log (https://docs.dfns.co/d/api-docs/webhooks). */
export function createWebhookRoutes(deps: {
  store: StateStore;
  registry: WebhookRegistry;
  dispatcher: WebhookDispatcher;
}) {
  const routes = new Hono<SandboxEnv>();
  const { registry } = deps;

  routes.post('/webhooks', async (c) => {
    const body = parseOrThrow(CreateWebhookBodySchema, await readJsonBody(c), 'webhook');
    const webhook = registry.create(body);
    return c.json({ ...publicWebhook(webhook), secret: webhook.secret });
  });

  routes.get('/webhooks', (c) => {
    const query = parseOrThrow(PageQuerySchema, c.req.query(), 'query');
    const page = paginate([...deps.store.state.webhooks].reverse(), query, (webhook) => webhook.id);
    return c.json({ ...page, items: page.items.map(publicWebhook) });
  });

  routes.get('/webhooks/:webhookId', (c) => c.json(publicWebhook(registry.get(c.req.param('webhookId')))));

  routes.put('/webhooks/:webhookId', async (c) => {
    const body = parseOrThrow(UpdateWebhookBodySchema, await readJsonBody(c), 'webhook update');
    return c.json(publicWebhook(registry.update(c.req.param('webhookId'), body)));
  });

  routes.delete('/webhooks/:webhookId', (c) => {
    registry.delete(c.req.param('webhookId'));
    return c.json({ deleted: true });
  });

  routes.post('/webhooks/:webhookId/ping', async (c) => {
    const outcome = await deps.dispatcher.ping(registry.get(c.req.param('webhookId')));
    return c.json({ status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) });
  });

  routes.get('/webhooks/:webhookId/events', (c) => {
    const webhook = registry.get(c.req.param('webhookId'));
    const query = parseOrThrow(EventsQuerySchema, c.req.query(), 'query');
    const events = deps.store.state.webhookEvents
      .filter((event) => event.webhookId === webhook.id)
      .filter((event) => query.kind === undefined || event.kind === query.kind)
      .filter((event) => query.deliveryFailed === undefined || String(event.deliveryFailed) === query.deliveryFailed)
      .reverse();
    const page = paginate(events, query, (event) => event.id);
    return c.json({ ...page, items: page.items.map(publicEvent) });
  });

  routes.get('/webhooks/:webhookId/events/:eventId', (c) => {
    const webhook = registry.get(c.req.param('webhookId'));
    const eventId = c.req.param('eventId');
    const event = deps.store.state.webhookEvents.find((e) => e.id === eventId && e.webhookId === webhook.id);
    if (!event) throw notFound('Webhook event not found', { webhookId: webhook.id, webhookEventId: eventId });
    return c.json(publicEvent(event));
  });

  return routes;
}
