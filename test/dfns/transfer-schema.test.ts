import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dfnsTransferSchema,
  toTransferState,
  toTransferUpdate,
  type DfnsTransfer,
} from '../../src/dfns/transfer-schema';
import { omit } from '../contracts/omit';

const base: DfnsTransfer = {
  id: 'xfr-1',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  status: 'Pending',
  externalId: 'payment:order-42:a1',
  dateRequested: '2025-01-01T00:00:00.000Z',
};

const origin = { source: 'poll', eventKind: 'getTransfer' } as const;

describe('toTransferState', () => {
  it('maps Pending without an approval to Submitted', () => {
    assert.equal(toTransferState(base), 'Submitted');
  });

  it('maps Pending with an approval to AwaitingApproval', () => {
    assert.equal(toTransferState({ ...base, approvalId: 'ap-1' }), 'AwaitingApproval');
  });

  for (const status of ['Executing', 'Broadcasted', 'Confirmed', 'Failed', 'Rejected'] as const) {
    it(`maps ${status} 1:1, with or without an approval`, () => {
      assert.equal(toTransferState({ ...base, status }), status);
      assert.equal(toTransferState({ ...base, status, approvalId: 'ap-1' }), status);
    });
  }
});

describe('dfnsTransferSchema', () => {
  it('keeps fields it does not know (loose)', () => {
    const parsed = dfnsTransferSchema.parse({
      ...base,
      requestBody: { kind: 'Native', externalId: 'x' },
      metadata: { a: 1 },
    });
    assert.deepEqual((parsed as Record<string, unknown>).metadata, { a: 1 });
  });

  it('refuses an unknown status, naming the field', () => {
    const parsed = dfnsTransferSchema.safeParse({ ...base, status: 'Queued' });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error?.issues.map((i) => i.path.join('.')),
      ['status'],
    );
  });

  it('refuses a transfer without an id', () => {
    const rest = omit(base, 'id');
    const parsed = dfnsTransferSchema.safeParse(rest);
    assert.deepEqual(
      parsed.error?.issues.map((i) => i.path.join('.')),
      ['id'],
    );
  });
});

describe('toTransferUpdate', () => {
  it('builds a provider-neutral update with the facts Dfns gave', () => {
    const transfer: DfnsTransfer = {
      ...base,
      status: 'Failed',
      approvalId: 'ap-1',
      txHash: '0xabc',
      fee: '21000',
      reason: 'execution reverted',
      dateBroadcasted: '2025-01-01T00:05:00.000Z',
    };
    assert.deepEqual(
      toTransferUpdate(transfer, {
        source: 'webhook',
        eventKind: 'wallet.transfer.failed',
        eventTime: '2025-01-01T00:06:00Z',
        deliveryId: 'whe-1',
      }),
      {
        kind: 'transfer',
        source: 'webhook',
        externalId: 'payment:order-42:a1',
        transferId: 'xfr-1',
        status: 'Failed',
        approvalId: 'ap-1',
        txHash: '0xabc',
        fee: '21000',
        reason: 'execution reverted',
        eventKind: 'wallet.transfer.failed',
        eventTime: '2025-01-01T00:06:00Z',
        deliveryId: 'whe-1',
      },
    );
  });

  it('leaves absent facts out rather than undefined', () => {
    const update = toTransferUpdate(base, origin);
    assert.ok(update);
    assert.deepEqual(Object.keys(update).sort(), [
      'eventKind',
      'eventTime',
      'externalId',
      'kind',
      'source',
      'status',
      'transferId',
    ]);
  });

  it('falls back to requestBody.externalId', () => {
    const transfer = dfnsTransferSchema.parse({
      ...omit(base, 'externalId'),
      requestBody: { kind: 'Native', externalId: 'payment:k:a2' },
    });
    assert.equal(toTransferUpdate(transfer, origin)?.externalId, 'payment:k:a2');
  });

  it('returns undefined for a transfer without an externalId', () => {
    const rest = omit(base, 'externalId');
    assert.equal(toTransferUpdate(dfnsTransferSchema.parse(rest), origin), undefined);
    assert.equal(
      toTransferUpdate(dfnsTransferSchema.parse({ ...rest, requestBody: { kind: 'Native' } }), origin),
      undefined,
    );
  });

  it('dates the update by the latest date Dfns put on the transfer when the origin gives none', () => {
    assert.equal(toTransferUpdate(base, origin)?.eventTime, '2025-01-01T00:00:00.000Z');
    const resolved = { ...base, datePolicyResolved: '2025-01-01T00:01:00.000Z' };
    assert.equal(toTransferUpdate(resolved, origin)?.eventTime, '2025-01-01T00:01:00.000Z');
    const broadcasted = { ...resolved, dateBroadcasted: '2025-01-01T00:02:00.000Z' };
    assert.equal(toTransferUpdate(broadcasted, origin)?.eventTime, '2025-01-01T00:02:00.000Z');
    const confirmed = { ...broadcasted, dateConfirmed: '2025-01-01T00:03:00.000Z' };
    assert.equal(toTransferUpdate(confirmed, origin)?.eventTime, '2025-01-01T00:03:00.000Z');
    const undated = dfnsTransferSchema.parse(omit(base, 'dateRequested'));
    assert.equal(toTransferUpdate(undated, origin)?.eventTime, '1970-01-01T00:00:00.000Z');
  });
});
