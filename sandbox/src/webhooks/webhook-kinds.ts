import { z } from 'zod';

/** Every event kind `@dfns/sdk@0.8.3` accepts in a webhook subscription (its `WebhookEvent` enum). */
export const WEBHOOK_EVENT_KINDS = [
  'policy.triggered',
  'policy.approval.pending',
  'policy.approval.resolved',
  'key.created',
  'key.deleted',
  'key.delegated',
  'key.exported',
  'wallet.blockchainevent.detected',
  'wallet.created',
  'wallet.activated',
  'wallet.delegated',
  'wallet.exported',
  'wallet.signature.failed',
  'wallet.signature.rejected',
  'wallet.signature.requested',
  'wallet.signature.signed',
  'wallet.transaction.broadcasted',
  'wallet.transaction.confirmed',
  'wallet.transaction.failed',
  'wallet.transaction.rejected',
  'wallet.transaction.requested',
  'wallet.transfer.broadcasted',
  'wallet.transfer.confirmed',
  'wallet.transfer.failed',
  'wallet.transfer.rejected',
  'wallet.transfer.requested',
  'wallet.offer.received',
  'wallet.offer.accepted',
  'wallet.offer.rejected',
  'wallet.tags.modified',
] as const;

/** One deliverable event kind. */
export const WebhookEventKindSchema = z.enum(WEBHOOK_EVENT_KINDS);

/** A subscription entry: an event kind or `'*'` for all of them. */
export const WebhookSubscriptionSchema = z.union([WebhookEventKindSchema, z.literal('*')]);

/** A webhook event kind as delivered. */
export type WebhookEventKind = z.infer<typeof WebhookEventKindSchema>;
