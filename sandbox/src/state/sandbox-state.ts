import { z } from 'zod';
import { ApprovalRecordSchema } from '../approvals/approval-schema';
import { FaultStateSchema, noFaults } from '../faults/fault-schema';
import { PolicySchema } from '../policies/policy-schema';
import { TransactionRequestSchema, TransferRecordSchema } from '../wallets/transfer-schema';
import { HistoryRecordSchema } from '../wallets/wallet-history';
import { WebhookEventKindSchema, WebhookSubscriptionSchema } from '../webhooks/webhook-kinds';

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
  /** Service-account token, or the personal access token of an approver (a person with a Key). */
  kind: z.enum(['ServiceAccount', 'Pat']),
  isActive: z.boolean(),
  dateCreated: z.string(),
});

const WalletSchema = z.object({
  id: z.string(),
  network: z.string(),
  address: z.string(),
  signingKey: z.object({
    id: z.string(),
    scheme: z.enum(['ECDSA', 'EdDSA']),
    curve: z.enum(['secp256k1', 'ed25519']),
    publicKey: z.string(),
  }),
  status: z.enum(['Active', 'Inactive', 'Archived']),
  dateCreated: z.string(),
  name: z.string().optional(),
  custodial: z.boolean(),
  tags: z.array(z.string()),
  /** Next EVM nonce; hidden from the API like the balances. */
  nonce: z.number().int().min(0).default(0),
  /** Integer strings in minimum units, keyed by `native` or the lowercased token contract. */
  balances: z.record(z.string(), z.string()),
  /**
   * Bootstrap fixtures only, hidden from the API: a `gasless` wallet holds tokens and no native coin (it pays through
   * a fee sponsor); a `fee-sponsor` wallet pays other wallets' fees. A reset restores each to its starting balances.
   */
  role: z.enum(['gasless', 'fee-sponsor', 'pool']).optional(),
});

/** A Dfns fee sponsor (https://docs.dfns.co/api-reference/fee-sponsors): a wallet that pays other wallets' fees. */
export const FeeSponsorSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  walletId: z.string(),
  network: z.string(),
  status: z.enum(['Active', 'Deactivated', 'Archived']),
  dateCreated: z.string(),
  allowEndUser: z.boolean().optional(),
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
  /** v2: every funded bootstrap wallet, `walletId` first. Missing in v1 files (migrated on load). */
  walletIds: z.array(z.string()).default([]),
  /** v2: the approver users, each with its own Key credential and token. */
  approvers: z
    .array(
      z.object({
        name: z.string(),
        userId: z.string(),
        tokenId: z.string(),
        authToken: z.string(),
        credId: z.string(),
        privateKey: z.string(),
      }),
    )
    .default([]),
});

/** Everything the sandbox knows; saved whole to the state file after each mutation. */
export const SandboxStateSchema = z.object({
  // v1 files load (the v2 fields default to empty); `ensureBootstrapFixtures` then adds what v2 needs.
  version: z.union([z.literal(1), z.literal(2)]),
  jwtSecret: z.string(),
  org: OrgSchema,
  users: z.array(UserSchema),
  credentials: z.array(CredentialSchema),
  tokens: z.array(AccessTokenSchema),
  wallets: z.array(WalletSchema),
  transfers: z.array(TransferRecordSchema),
  /** Fee sponsors; files written before they existed have none. */
  feeSponsors: z.array(FeeSponsorSchema).default([]),
  webhooks: z.array(WebhookSchema),
  webhookEvents: z.array(WebhookEventSchema),
  deliveries: z.array(DeliveryJobSchema),
  /** Operations granted per user id (a service account's assigned permissions); absent = the org's owner. */
  permissionGrants: z.record(z.string(), z.array(z.string())).default({}),
  /** Permissions (roles) created through the API. */
  permissions: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        operations: z.array(z.string()),
        status: z.literal('Active'),
        isImmutable: z.boolean(),
        dateCreated: z.string(),
      }),
    )
    .default([]),
  transactions: z.array(TransactionRequestSchema).default([]),
  /** Confirmed chain events per wallet, oldest first (`GET /wallets/{id}/history` lists them newest first). */
  history: z.array(HistoryRecordSchema).default([]),
  policies: z.array(PolicySchema).default([]),
  approvals: z.array(ApprovalRecordSchema).default([]),
  /** USD per whole unit, keyed by asset symbol (decimal text keeps them exact). */
  prices: z.record(z.string(), z.string()).default({}),
  faults: FaultStateSchema.default(noFaults),
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
/** A webhook including its secret. */
export type Webhook = z.infer<typeof WebhookSchema>;
/** One recorded delivery attempt. */
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
/** A delivery attempt waiting to be made (first attempt or retry). */
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;
/** The ids and secrets bootstrap created, reused on every restart. */
export type BootstrapRecord = z.infer<typeof BootstrapRecordSchema>;

/** A fee sponsor. */
export type FeeSponsor = z.infer<typeof FeeSponsorSchema>;
