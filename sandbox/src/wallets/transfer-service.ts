import { isDeepStrictEqual } from 'node:util';
import { badRequest, DfnsHttpError, notFound } from '../http/errors';
import { newId } from '../state/ids';
import { getNetwork } from '../chain/networks';
import { paginate, type PageQuery } from '../http/pagination';
import type { PolicyGate } from '../policies/policy-gate';
import type { Wallet } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { checkFeeSponsor } from './fee-sponsor-check';
import { tokenOf, transferBodySchemaFor } from './transfer-body';
import type { TransferRecord, TransferRequest } from './transfer-schema';
import { parseOrThrow } from '../http/validation';
import { assetMetadata } from './wallet-assets';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/** Who asked for a transfer: the bearer token's user and token id. */
export interface Requester {
  userId: string;
  tokenId: string;
}

/**
 * Creates, reads and lists transfers with Dfns's `externalId` idempotency
 * (https://docs.dfns.co/api-reference/idempotency).
 */
export interface TransferService {
  create(wallet: Wallet, rawBody: unknown, requester: Requester): TransferRequest;
  /** The stored record (404 if unknown or on another wallet). */
  record(walletId: string, transferId: string): TransferRecord;
  get(walletId: string, transferId: string): TransferRequest;
  list(walletId: string, query: PageQuery): { walletId: string; items: TransferRequest[]; nextPageToken?: string };
}

/** Dependencies of the transfer service. */
export interface TransferServiceDeps {
  store: StateStore;
  gate: Pick<PolicyGate, 'decide' | 'apply'>;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  time: TimeControl;
}

/** Creates the transfer service. */
export function createTransferService(deps: TransferServiceDeps): TransferService {
  const { state } = deps.store;

  const replayOrConflict = (wallet: Wallet, body: TransferRequest['requestBody']): TransferRequest | undefined => {
    if (body.externalId === undefined) return undefined;
    const existing = state.transfers.find((record) => record.transfer.externalId === body.externalId)?.transfer;
    if (!existing) return undefined;
    // Bodies are compared as parsed JSON (key order and whitespace ignored): the SDK re-serialises
    // the same object identically anyway, and a byte comparison would only add false conflicts.
    if (existing.walletId === wallet.id && isDeepStrictEqual(existing.requestBody, body)) return existing;
    throw new DfnsHttpError(409, 'Conflicting transfer with same externalId', {
      duplicate: { id: existing.id, externalId: body.externalId },
    });
  };

  const record = (walletId: string, transferId: string) => {
    const found = state.transfers.find((r) => r.transfer.id === transferId && r.transfer.walletId === walletId);
    if (!found) throw notFound('Transfer not found', { walletId, transferId });
    return found;
  };

  return {
    create(wallet, rawBody, requester) {
      const network = getNetwork(wallet.network);
      const body = parseOrThrow(transferBodySchemaFor(network), rawBody, 'transfer request');
      const asset = assetMetadata(network, body);
      if (!asset) {
        const field = body.kind === 'Spl' || body.kind === 'Spl2022' ? 'mint' : 'contract';
        throw badRequest(`Invalid transfer request: ${field}: unknown ${body.kind} ${field} on ${network.name}`, {
          [field]: tokenOf(body),
          network: network.name,
        });
      }
      if (body.feeSponsorId !== undefined) checkFeeSponsor(state, wallet, network, body);
      const existing = replayOrConflict(wallet, body);
      if (existing) return existing;
      const transfer: TransferRequest = {
        id: newId('xfr'),
        walletId: wallet.id,
        network: network.name,
        requester: { userId: requester.userId, tokenId: requester.tokenId },
        requestBody: body,
        metadata: { asset },
        status: 'Pending',
        dateRequested: new Date(deps.time.now()).toISOString(),
        ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
      };
      // Policies are evaluated before anything is kept, so an `http-403` Block leaves no trace.
      const decision = deps.gate.decide(wallet, transfer);
      if (decision.approvalId) transfer.approvalId = decision.approvalId;
      const created: TransferRecord = { transfer, nextStepAt: null };
      state.transfers.push(created);
      deps.dispatcher.emit('wallet.transfer.requested', { transferRequest: transfer });
      deps.gate.apply(created, decision);
      deps.store.changed();
      return transfer;
    },
    record,
    get: (walletId, transferId) => record(walletId, transferId).transfer,
    list(walletId, query) {
      const newestFirst = state.transfers
        .filter((r) => r.transfer.walletId === walletId)
        .map((r) => r.transfer)
        .reverse();
      return { walletId, ...paginate(newestFirst, query, (transfer) => transfer.id) };
    },
  };
}
