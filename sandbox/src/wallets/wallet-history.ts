import { z } from 'zod';
import { findToken, getNetwork } from '../chain/networks';
import { paginate, PageQuerySchema } from '../http/pagination';
import { newId, randomHex } from '../state/ids';
import type { SandboxState, Wallet } from '../state/sandbox-state';
import { tokenOf, type TransferBody } from './transfer-body';

/** The blockchain-event kinds the sandbox records: the native coin and the fungible tokens it simulates. */
const EVENT_KINDS = {
  Native: 'NativeTransfer',
  Erc20: 'Erc20Transfer',
  Trc20: 'Trc20Transfer',
  Spl: 'SplTransfer',
  Spl2022: 'Spl2022Transfer',
} as const;

const AssetMetadataSchema = z.object({
  symbol: z.string().optional(),
  decimals: z.number().optional(),
  verified: z.boolean().optional(),
  quotes: z.record(z.string(), z.number()).optional(),
});

/**
 * One item of `GET /wallets/{walletId}/history` (https://docs.dfns.co/api-reference/wallets/get-wallet-history, the
 * `NativeTransfer`, `Erc20Transfer`, `Trc20Transfer`, `SplTransfer` and `Spl2022Transfer` variants), as stored.
 */
export const HistoryEventSchema = z.object({
  walletId: z.string(),
  direction: z.enum(['In', 'Out']),
  network: z.string(),
  blockNumber: z.number().int(),
  txHash: z.string(),
  index: z.string().optional(),
  timestamp: z.string(),
  metadata: z.object({ asset: AssetMetadataSchema, fee: AssetMetadataSchema.optional() }),
  kind: z.enum(['NativeTransfer', 'Erc20Transfer', 'Trc20Transfer', 'SplTransfer', 'Spl2022Transfer']),
  from: z.string().optional(),
  to: z.string().optional(),
  value: z.string(),
  fee: z.string().optional(),
  contract: z.string().optional(),
  mint: z.string().optional(),
  symbol: z.string(),
  decimals: z.number(),
  verified: z.boolean().optional(),
});

/** A stored history event and the id its page token names (Dfns's tokens are opaque). */
export const HistoryRecordSchema = z.object({ id: z.string(), event: HistoryEventSchema });

export type HistoryEvent = z.infer<typeof HistoryEventSchema>;
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

/** `limit`, `paginationToken` and the documented filters `direction`, `kind` and `contract`. */
export const HistoryQuerySchema = PageQuerySchema.extend({
  direction: z.enum(['In', 'Out']).optional(),
  kind: z.string().min(1).optional(),
  contract: z.string().min(1).optional(),
});

/** One confirmed movement to record: what moved, between whom, in which transaction, and the fee the wallet paid. */
export interface Movement {
  wallet: Wallet;
  direction: 'In' | 'Out';
  /** undefined: the native coin; else the token's contract or mint. */
  token?: string;
  value: bigint;
  counterparty?: string;
  txHash?: string;
  /** The native fee this wallet paid; absent when a sponsor (or the sender, for an incoming transfer) paid it. */
  fee?: bigint;
  at: number;
}

/** The asset of a transfer body: the native coin, or its token. */
export const movedToken = (body: TransferBody): string | undefined => tokenOf(body);

/**
 * Records a movement in the wallet's history. Dfns lists confirmed chain events only (a transfer appears once it is
 * mined), newest first; the block number is derived from the time and the network's block time.
 */
export function recordMovement(state: SandboxState, movement: Movement): HistoryEvent {
  const { wallet } = movement;
  const network = getNetwork(wallet.network);
  const token = movement.token === undefined ? undefined : findToken(network, movement.token);
  const asset = token
    ? { symbol: token.symbol, decimals: token.decimals, verified: true, quotes: token.quotes }
    : { ...network.native, verified: true };
  const kind = token ? EVENT_KINDS[token.kind] : EVENT_KINDS.Native;
  const [from, to] =
    movement.direction === 'Out' ? [wallet.address, movement.counterparty] : [movement.counterparty, wallet.address];
  const event: HistoryEvent = {
    walletId: wallet.id,
    direction: movement.direction,
    network: network.name,
    blockNumber: Math.floor(movement.at / network.blockTimeMs),
    txHash: movement.txHash ?? randomHex(32),
    timestamp: new Date(movement.at).toISOString(),
    metadata: { asset, ...(movement.fee !== undefined ? { fee: { ...network.native, verified: true } } : {}) },
    kind,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    value: movement.value.toString(),
    ...(movement.fee !== undefined ? { fee: movement.fee.toString() } : {}),
    ...(token
      ? token.kind === 'Spl' || token.kind === 'Spl2022'
        ? { mint: token.contract }
        : { contract: token.contract }
      : {}),
    symbol: asset.symbol,
    decimals: asset.decimals,
    verified: true,
  };
  state.history.push({ id: newId('whe'), event });
  return event;
}

/** A wallet's history page, newest first, with the documented filters. */
export function listHistory(state: SandboxState, wallet: Wallet, query: z.infer<typeof HistoryQuerySchema>) {
  const matches = state.history
    .filter(({ event }) => event.walletId === wallet.id)
    .filter(({ event }) => query.direction === undefined || event.direction === query.direction)
    .filter(({ event }) => query.kind === undefined || event.kind === query.kind)
    .filter(({ event }) => query.contract === undefined || event.contract === query.contract)
    .reverse();
  const page = paginate(matches, query, (record) => record.id);
  return {
    walletId: wallet.id,
    network: wallet.network,
    items: page.items.map((record) => record.event),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
