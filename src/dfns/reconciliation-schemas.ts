import { z } from 'zod';
import {
  assetKey,
  DFNS_TRANSFER_STATUSES,
  type HistoryFact,
  type TransferFact,
} from '../contracts/reconciliation-facts';
import type { Balances } from '../contracts/balance-drift';
import type { DfnsWalletAssets } from './wallet-assets-schema';

/**
 * A TransferRequest as `GET /wallets/{walletId}/transfers` lists it (https://docs.dfns.co/api-reference/transfer):
 * the fields the reconciliation compares; the rest pass through.
 */
const dfnsListedTransferSchema = z.looseObject({
  id: z.string().min(1),
  walletId: z.string().min(1),
  status: z.enum(DFNS_TRANSFER_STATUSES),
  externalId: z.string().optional(),
  txHash: z.string().optional(),
  fee: z.string().optional(),
  dateRequested: z.string().min(1),
  requester: z.looseObject({ userId: z.string().optional() }).optional(),
  requestBody: z.looseObject({ externalId: z.string().optional(), amount: z.string().optional() }).optional(),
});

/** `GET /wallets/{walletId}/transfers`: a page of transfers, newest first, and the token of the next page. */
export const dfnsTransferPageSchema = z.looseObject({
  items: z.array(z.unknown()),
  nextPageToken: z.string().optional(),
});

/** A listed transfer as the reconciliation's fact, or undefined when Dfns's answer cannot be read. */
export function toTransferFact(raw: unknown): TransferFact | undefined {
  const parsed = dfnsListedTransferSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const t = parsed.data;
  const fact: TransferFact = { transferId: t.id, walletId: t.walletId, status: t.status, requestedAt: t.dateRequested };
  const externalId = t.externalId ?? t.requestBody?.externalId;
  if (externalId) fact.externalId = externalId;
  if (t.requestBody?.amount) fact.amount = t.requestBody.amount;
  if (t.fee) fact.fee = t.fee;
  if (t.txHash) fact.txHash = t.txHash;
  if (t.requester?.userId) fact.requester = t.requester.userId;
  return fact;
}

/**
 * One event of `GET /wallets/{walletId}/history` (https://docs.dfns.co/api-reference/wallets/get-wallet-history): a
 * confirmed on-chain movement, in or out. Only the fungible kinds a balance holds are read; the asset is named by the
 * kind's own field (contract, mint, token id).
 */
const dfnsHistoryEventSchema = z.looseObject({
  direction: z.enum(['In', 'Out']),
  kind: z.string(),
  txHash: z.string().min(1),
  index: z.string().optional(),
  timestamp: z.string().min(1),
  value: z
    .string()
    .regex(/^[0-9]+$/)
    .optional(),
  fee: z
    .string()
    .regex(/^[0-9]+$/)
    .optional(),
  contract: z.string().optional(),
  mint: z.string().optional(),
  tokenId: z.string().optional(),
});

/** The history event kinds that move a fungible balance, and the field naming the asset. */
const FUNGIBLE_EVENTS: Record<string, 'native' | 'contract' | 'mint' | 'tokenId'> = {
  NativeTransfer: 'native',
  Erc20Transfer: 'contract',
  Trc20Transfer: 'contract',
  SplTransfer: 'mint',
  Spl2022Transfer: 'mint',
  Trc10Transfer: 'tokenId',
};

/** `GET /wallets/{walletId}/history`: a page of events and the token of the next page. */
export const dfnsHistoryPageSchema = dfnsTransferPageSchema;

/**
 * A history event as the reconciliation's fact; undefined for kinds that hold no fungible balance (NFTs) and for
 * events Dfns's answer does not let it read (refused by the caller as an unreadable answer).
 */
export function toHistoryFact(raw: unknown): HistoryFact | undefined | 'unreadable' {
  const parsed = dfnsHistoryEventSchema.safeParse(raw);
  if (!parsed.success) return 'unreadable';
  const e = parsed.data;
  const field = FUNGIBLE_EVENTS[e.kind];
  if (!field || e.value === undefined) return undefined;
  const id = field === 'native' ? undefined : e[field];
  if (field !== 'native' && id === undefined) return 'unreadable';
  const fact: HistoryFact = {
    key: `${e.txHash}:${e.index ?? ''}:${e.direction}:${e.kind}`,
    direction: e.direction,
    asset: assetKey(field === 'native' ? 'Native' : e.kind, id),
    value: e.value,
    txHash: e.txHash,
    timestamp: e.timestamp,
  };
  if (e.fee !== undefined) fact.fee = e.fee;
  return fact;
}

/** The asset kinds of `GET /wallets/{walletId}/assets` whose balances the reconciliation checks, and their id field. */
const FUNGIBLE_ASSETS: Record<string, 'native' | 'contract' | 'mint' | 'tokenId'> = {
  Native: 'native',
  Erc20: 'contract',
  Trc20: 'contract',
  Spl: 'mint',
  Spl2022: 'mint',
  Trc10: 'tokenId',
};

/** The wallet's fungible balances per asset (see assetKey). */
export function toBalances(assets: DfnsWalletAssets): Balances {
  const balances: Balances = {};
  for (const asset of assets.assets) {
    const field = FUNGIBLE_ASSETS[asset.kind];
    if (!field) continue;
    const id = field === 'native' ? undefined : (asset as Record<string, unknown>)[field];
    if (field !== 'native' && typeof id !== 'string') continue;
    balances[assetKey(asset.kind, id as string | undefined)] = asset.balance;
  }
  return balances;
}
