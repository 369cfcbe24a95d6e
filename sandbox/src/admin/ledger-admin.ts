import { z } from 'zod';
import { findToken, getNetwork } from '../chain/networks';
import { badRequest, notFound } from '../http/errors';
import { parseOrThrow } from '../http/validation';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import type { TransferService } from '../wallets/transfer-service';
import type { TransferRequest } from '../wallets/transfer-schema';
import { changeBalance } from '../wallets/wallet-assets';
import { recordMovement } from '../wallets/wallet-history';

const amount = z.string().regex(/^[1-9][0-9]*$/, 'must be a positive integer string in minimum units');

/** `asset`: "native", or a token's contract or mint on the wallet's network. */
export const DepositBodySchema = z.strictObject({
  asset: z.string().min(1).default('native'),
  amount,
  from: z.string().min(1).optional(),
});

/** A signed change: `-5000` takes, `5000` gives. */
export const BalanceAdjustmentBodySchema = z.strictObject({
  asset: z.string().min(1).default('native'),
  delta: z.string().regex(/^-?[1-9][0-9]*$/, 'must be a non-zero integer string in minimum units'),
});

/** A settled transfer's record as Dfns would show it after a reorg, a replacement or a manual fix. */
export const OutcomeBodySchema = z
  .strictObject({
    status: z.enum(['Confirmed', 'Failed', 'Rejected']).optional(),
    txHash: z.string().min(1).nullable().optional(),
    fee: z
      .string()
      .regex(/^[0-9]+$/)
      .nullable()
      .optional(),
    reason: z.string().min(1).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one of status, txHash, fee, reason' });

/** What the admin's money knobs reach into. */
export interface LedgerAdminDeps {
  store: StateStore;
  time: TimeControl;
  transfers: Pick<TransferService, 'create'>;
}

/**
 * Admin knobs that make the org's money records disagree with what an orchestrator knows, so that reconciliation can
 * be tested: a deposit from outside (in the history and the balance), a transfer asked for outside the orchestrator
 * (as a person in the Dfns dashboard would), a settled transfer's record rewritten, and a balance changed with no
 * history event to explain it.
 */
export function createLedgerAdmin(deps: LedgerAdminDeps) {
  const { state } = deps.store;
  const findWallet = (walletId: string) => {
    const wallet = state.wallets.find((candidate) => candidate.id === walletId);
    if (!wallet) throw notFound('Wallet not found', { walletId });
    return wallet;
  };
  const tokenOn = (walletId: string, asset: string) => {
    if (asset === 'native') return undefined;
    const network = getNetwork(findWallet(walletId).network);
    const token = findToken(network, asset);
    if (!token) throw badRequest(`asset: no token ${asset} on ${network.name}`, { asset });
    return token.contract;
  };

  return {
    /** An incoming transfer from outside the org: the balance rises and the history shows an `In` event. */
    deposit(walletId: string, raw: unknown) {
      const body = parseOrThrow(DepositBodySchema, raw, 'deposit');
      const wallet = findWallet(walletId);
      const token = tokenOn(walletId, body.asset);
      changeBalance(wallet, token, BigInt(body.amount));
      const event = recordMovement(state, {
        wallet,
        direction: 'In',
        ...(token ? { token } : {}),
        value: BigInt(body.amount),
        ...(body.from ? { counterparty: body.from } : {}),
        at: deps.time.now(),
      });
      deps.store.changed();
      return event;
    },

    /**
     * A transfer asked for outside the orchestrator: by the first approver (a person in the Dfns dashboard), through
     * the same validation, policies and chain as any transfer. The body is a TransferAssetBody, externalId optional.
     */
    outsideTransfer(walletId: string, raw: unknown): TransferRequest {
      const wallet = findWallet(walletId);
      const person = state.bootstrap.approvers[0];
      if (!person) throw badRequest('the sandbox has no approver user to act as a person in the dashboard');
      return deps.transfers.create(wallet, raw, { userId: person.userId, tokenId: person.tokenId });
    },

    /** Rewrites a settled transfer's recorded outcome; balances, history and webhooks are left alone. */
    rewriteOutcome(transferId: string, raw: unknown): TransferRequest {
      const body = parseOrThrow(OutcomeBodySchema, raw, 'outcome');
      const record = state.transfers.find((candidate) => candidate.transfer.id === transferId);
      if (!record) throw notFound('Transfer not found', { transferId });
      const { transfer } = record;
      if (!['Confirmed', 'Failed', 'Rejected'].includes(transfer.status)) {
        throw badRequest(`only a settled transfer's outcome can be rewritten; ${transferId} is ${transfer.status}`, {
          transferId,
        });
      }
      if (body.status) transfer.status = body.status;
      for (const field of ['txHash', 'fee', 'reason'] as const) {
        const value = body[field];
        if (value === null) delete transfer[field];
        else if (value !== undefined) transfer[field] = value;
      }
      deps.store.changed();
      return transfer;
    },

    /** Changes a balance with nothing in the history to explain it; refused when it would go below zero. */
    adjustBalance(walletId: string, raw: unknown) {
      const body = parseOrThrow(BalanceAdjustmentBodySchema, raw, 'balance adjustment');
      const wallet = findWallet(walletId);
      if (!changeBalance(wallet, tokenOn(walletId, body.asset), BigInt(body.delta)))
        throw badRequest('delta: the balance would go below zero', { delta: body.delta });
      deps.store.changed();
      return { walletId, asset: body.asset, delta: body.delta };
    },
  };
}

export type LedgerAdmin = ReturnType<typeof createLedgerAdmin>;
