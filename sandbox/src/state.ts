import { z } from 'zod';
import { StoredTransferBodySchema } from './transfer-body';
import { WebhookEventKindSchema, WebhookSubscriptionSchema } from './webhook-kinds';

// The persisted state is an edge (a file someone may edit or truncate), so it is parsed with these
// schemas on load; every type the sandbox works with is inferred from them.

const OrgSchema = z.object({ id: z.string(), name: z.string(), dateCreated: z.string() });

const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  kind: z.literal('CustomerEmployee'),
  isServiceAccount: z.boolean(),
  isActive: z.boolean(),
  dateCreated: z.string(),
});

const CredentialSchema = z.object({
  credId: z.string(),
  userId: z.string(),
  kind: z.literal('Key'),
  publicKey: z.string(), // SPKI PEM, as registered
  isActive: z.boolean(),
  dateCreated: z.string(),
});

const AccessTokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  credId: z.string(),
  kind: z.literal('ServiceAccount'),
  isActive: z.boolean(),
  dateCreated: z.string(),
});

const WalletSchema = z.object({
  id: z.string(),
  network: z.string(),
  address: z.string(),
  signingKey: z.object({
    id: z.string(),
    scheme: z.literal('ECDSA'),
    curve: z.literal('secp256k1'),
    publicKey: z.string(),
  }),
  status: z.enum(['Active', 'Inactive', 'Archived']),
  dateCreated: z.string(),
  name: z.string().optional(),
  custodial: z.boolean(),
  tags: z.array(z.string()),
  /** Integer strings in minimum units, keyed by `native` or the lowercased token contract. */
  balances: z.record(z.string(), z.string()),
});

/** The TransferRequest object of reference §2.3, exactly as the API returns it. */
export const TransferRequestSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  network: z.string(),
  requester: z.object({ userId: z.string(), tokenId: z.string().optional() }),
  requestBody: StoredTransferBodySchema,
  metadata: z.object({
    asset: z.object({
      symbol: z.string().optional(),
      decimals: z.number().optional(),
      verified: z.boolean().optional(),
      quotes: z.record(z.string(), z.number()).optional(),
    }),
  }),
  status: z.enum(['Pending', 'Executing', 'Broadcasted', 'Confirmed', 'Failed', 'Rejected']),
  reason: z.string().optional(),
  txHash: z.string().optional(),
  fee: z.string().optional(),
  dateRequested: z.string(),
  datePolicyResolved: z.string().optional(),
  dateBroadcasted: z.string().optional(),
  dateConfirmed: z.string().optional(),
  approvalId: z.string().optional(),
  externalId: z.string().optional(),
});

const TransferRecordSchema = z.object({
  transfer: TransferRequestSchema,
  /** Epoch ms of the next simulated chain step; null once terminal or waiting on a person. */
  nextStepAt: z.number().nullable(),
});

const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookSubscriptionSchema),
  status: z.enum(['Enabled', 'Disabled']),
  description: z.string().optional(),
  dateCreated: z.string(),
  dateUpdated: z.string(),
  secret: z.string(),
});

const EventDataSchema = z.record(z.string(), z.unknown());

const WebhookEventSchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  kind: WebhookEventKindSchema,
  date: z.string(),
  data: EventDataSchema,
  status: z.string(),
  error: z.string().optional(),
  timestampSent: z.number(),
  deliveryAttempt: z.number(),
  retryOf: z.string().optional(),
  deliveryFailed: z.boolean(),
  nextAttemptDate: z.string().optional(),
});

const DeliveryJobSchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  kind: WebhookEventKindSchema,
  date: z.string(),
  data: EventDataSchema,
  attempt: z.number(),
  retryOf: z.string().optional(),
  dueAt: z.number(),
});

const BootstrapRecordSchema = z.object({
  userId: z.string(),
  tokenId: z.string(),
  authToken: z.string(),
  credId: z.string(),
  privateKey: z.string(),
  walletId: z.string(),
  webhookId: z.string(),
});

/** Everything the sandbox knows; saved whole to the state file after each mutation. */
export const SandboxStateSchema = z.object({
  version: z.literal(1),
  jwtSecret: z.string(),
  org: OrgSchema,
  users: z.array(UserSchema),
  credentials: z.array(CredentialSchema),
  tokens: z.array(AccessTokenSchema),
  wallets: z.array(WalletSchema),
  transfers: z.array(TransferRecordSchema),
  webhooks: z.array(WebhookSchema),
  webhookEvents: z.array(WebhookEventSchema),
  deliveries: z.array(DeliveryJobSchema),
  bootstrap: BootstrapRecordSchema,
});

/** The whole sandbox state. */
export type SandboxState = z.infer<typeof SandboxStateSchema>;
/** A user (v1: the bootstrap service account). */
export type User = z.infer<typeof UserSchema>;
/** A registered Key credential. */
export type Credential = z.infer<typeof CredentialSchema>;
/** A long-lived access token record (the JWT itself is derived from it). */
export type AccessToken = z.infer<typeof AccessTokenSchema>;
/** A wallet with its balances. */
export type Wallet = z.infer<typeof WalletSchema>;
/** A TransferRequest as returned by the API. */
export type TransferRequest = z.infer<typeof TransferRequestSchema>;
/** A transfer plus its simulated-chain schedule. */
export type TransferRecord = z.infer<typeof TransferRecordSchema>;
/** A webhook including its secret. */
export type Webhook = z.infer<typeof WebhookSchema>;
/** One recorded delivery attempt. */
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
/** A delivery attempt waiting to be made (first attempt or retry). */
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;
/** The ids and secrets bootstrap created, reused on every restart. */
export type BootstrapRecord = z.infer<typeof BootstrapRecordSchema>;
