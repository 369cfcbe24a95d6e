import { createHmac, timingSafeEqual } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type proto from '@temporalio/proto';
import * as keys from '../contracts/search-attributes';
import type { PaymentListItem, PaymentPage } from './payment-view';
import { InvalidCursorError } from './payments-backend';

type ListResponse = proto.temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse;
type Timestamp = { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined;

const attribute = (raw: Record<string, Payload> | null | undefined, name: string): unknown => {
  const payload = raw?.[name];
  return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
};
const text = (value: unknown): string | undefined => (Array.isArray(value) ? value[0] : value) as string | undefined;

/** Seals Temporal's page tokens into cursors, and opens only cursors it sealed for the same listing. */
export interface CursorSeal {
  seal(token: Uint8Array, query: string): string;
  /** Recovers Temporal's page token, or throws InvalidCursorError for a cursor not sealed for this query. */
  open(cursor: string, query: string): Uint8Array;
}

const MAC_BYTES = 32;

/**
 * Cursors carry Temporal's page token with an HMAC-SHA256, under the server's secret, of the listing's query (which
 * names the client and every filter) and the token. Temporal answers a token it cannot read with an error the SDK
 * retries until its deadline, so a cursor that is not ours, that belonged to other filters or to another client, is
 * refused here instead (400), before Temporal is asked. The MAC is compared in constant time.
 */
export function cursorSeal(secret: string | Uint8Array): CursorSeal {
  const mac = (token: string, query: string) => createHmac('sha256', secret).update(`${query}\n${token}`).digest();
  return {
    seal(token, query) {
      const t = Buffer.from(token).toString('base64url');
      return Buffer.from(JSON.stringify({ t, c: mac(t, query).toString('base64url') })).toString('base64url');
    },
    open(cursor, query) {
      let sealed: unknown;
      try {
        sealed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError('cursor is not one this API issued');
      }
      const { t, c } = (sealed ?? {}) as { t?: unknown; c?: unknown };
      const presented = typeof c === 'string' ? Buffer.from(c, 'base64url') : undefined;
      if (typeof t !== 'string' || presented?.length !== MAC_BYTES || !timingSafeEqual(presented, mac(t, query))) {
        throw new InvalidCursorError('cursor is not one this API issued for these filters');
      }
      return Buffer.from(t, 'base64url');
    },
  };
}

const toDate = (time: Timestamp): Date | undefined =>
  time?.seconds ? new Date(Number(time.seconds.toString()) * 1000 + Math.floor((time.nanos ?? 0) / 1e6)) : undefined;

/** One page of a listing from Temporal's visibility store, with the cursor to the next page (if any). */
export function paymentPage(response: ListResponse, query: string, cursors: CursorSeal): PaymentPage {
  const items = (response.executions ?? []).map((execution): PaymentListItem => {
    const fields = execution.searchAttributes?.indexedFields as Record<string, Payload> | undefined;
    const closed = toDate(execution.closeTime);
    const item: PaymentListItem = {
      paymentId: execution.execution?.workflowId ?? '',
      running: !closed,
      createdAt: (toDate(execution.startTime) ?? new Date(0)).toISOString(),
    };
    const status = text(attribute(fields, keys.PaymentStatusKey.name));
    const walletId = text(attribute(fields, keys.PaymentWalletKey.name));
    const network = text(attribute(fields, keys.PaymentNetworkKey.name));
    const asset = text(attribute(fields, keys.PaymentAssetKey.name));
    const stuck = attribute(fields, keys.PaymentStuckKey.name);
    if (status) item.status = status as PaymentListItem['status'];
    if (walletId) item.walletId = walletId;
    if (network) item.network = network;
    if (asset) item.asset = asset;
    if (typeof stuck === 'boolean') item.stuck = stuck;
    if (closed) item.closedAt = closed.toISOString();
    return item;
  });
  const token = response.nextPageToken;
  return { items, ...(token && token.length > 0 ? { nextCursor: cursors.seal(token, query) } : {}) };
}
