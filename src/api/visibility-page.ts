import { createHash } from 'node:crypto';
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

const cursorCheck = (token: string, query: string) =>
  createHash('sha256').update(`${query}\n${token}`).digest('base64url').slice(0, 22);

/**
 * A cursor carries Temporal's page token with a check bound to the listing's query: Temporal answers a token it
 * cannot read with an error the SDK retries until the deadline, so a cursor that is not ours, or that belonged to
 * other filters, is refused here instead (400).
 */
export function sealCursor(token: Uint8Array, query: string): string {
  const t = Buffer.from(token).toString('base64url');
  return Buffer.from(JSON.stringify({ t, c: cursorCheck(t, query) })).toString('base64url');
}

/** Recovers Temporal's page token from a cursor, or throws InvalidCursorError for one this query did not issue. */
export function openCursor(cursor: string, query: string): Uint8Array {
  let sealed: unknown;
  try {
    sealed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
  const { t, c } = (sealed ?? {}) as { t?: unknown; c?: unknown };
  if (typeof t !== 'string' || typeof c !== 'string' || c !== cursorCheck(t, query)) {
    throw new InvalidCursorError('cursor is not one this API issued for these filters');
  }
  return Buffer.from(t, 'base64url');
}

const toDate = (time: Timestamp): Date | undefined =>
  time?.seconds ? new Date(Number(time.seconds.toString()) * 1000 + Math.floor((time.nanos ?? 0) / 1e6)) : undefined;

/** One page of a listing from Temporal's visibility store, with the cursor to the next page (if any). */
export function paymentPage(response: ListResponse, query: string): PaymentPage {
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
  return { items, ...(token && token.length > 0 ? { nextCursor: sealCursor(token, query) } : {}) };
}
