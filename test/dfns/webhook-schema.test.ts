import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferUpdate } from '../../src/contracts/transfer-update';
import { dfnsWebhookEnvelopeSchema, interpretWebhook, type WebhookMeaning } from '../../src/dfns/webhook-schema';
import { omit } from '../contracts/omit';

const EXTERNAL_ID = 'payment:order-42:a1';
const DATE = '2025-01-01T00:10:00.000Z';

function transfer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'xfr-1',
    walletId: 'wa-1',
    network: 'EthereumSepolia',
    status: 'Pending',
    externalId: EXTERNAL_ID,
    requestBody: { kind: 'Native', to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', amount: '1', externalId: EXTERNAL_ID },
    dateRequested: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

function interpret(kind: string, data: Record<string, unknown>): WebhookMeaning {
  const envelope = dfnsWebhookEnvelopeSchema.parse({ id: 'whe-1', kind, date: DATE, data, timestampSent: 1_735_690_200, deliveryAttempt: 1 });
  return interpretWebhook(envelope);
}

function updateOf(meaning: WebhookMeaning): TransferUpdate {
  assert.equal(meaning.kind, 'update', JSON.stringify(meaning));
  assert.ok(meaning.kind === 'update');
  return meaning.update;
}

describe('dfnsWebhookEnvelopeSchema', () => {
  it('accepts a Dfns envelope and keeps unknown fields', () => {
    const parsed = dfnsWebhookEnvelopeSchema.parse({ id: 'whe-1', kind: 'k', date: DATE, data: {}, timestampSent: 1, retryOf: 'whe-0', deliveryAttempt: 2, extra: true });
    assert.equal((parsed as Record<string, unknown>).extra, true);
  });

  it('names every missing or mistyped envelope field', () => {
    const parsed = dfnsWebhookEnvelopeSchema.safeParse({ kind: 'k', date: DATE, data: 'x', timestampSent: '1', deliveryAttempt: 0 });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')).sort(), ['data', 'deliveryAttempt', 'id', 'timestampSent']);
  });
});

describe('interpretWebhook: transfer events', () => {
  const cases: [string, Record<string, unknown>, Partial<TransferUpdate>][] = [
    ['wallet.transfer.requested', {}, { status: 'Submitted' }],
    ['wallet.transfer.requested', { approvalId: 'ap-7' }, { status: 'AwaitingApproval', approvalId: 'ap-7' }],
    ['wallet.transfer.broadcasted', { status: 'Broadcasted', txHash: '0xabc' }, { status: 'Broadcasted', txHash: '0xabc' }],
    ['wallet.transfer.confirmed', { status: 'Confirmed', txHash: '0xabc', fee: '21000' }, { status: 'Confirmed', txHash: '0xabc', fee: '21000' }],
    ['wallet.transfer.failed', { status: 'Failed', reason: 'execution reverted' }, { status: 'Failed', reason: 'execution reverted' }],
    ['wallet.transfer.rejected', { status: 'Rejected', approvalId: 'ap-7', reason: 'denied' }, { status: 'Rejected', approvalId: 'ap-7', reason: 'denied' }],
  ];
  for (const [kind, extra, expected] of cases) {
    it(`${kind} ${JSON.stringify(extra)} → ${expected.status}`, () => {
      assert.deepEqual(updateOf(interpret(kind, { transferRequest: transfer(extra) })), {
        source: 'webhook',
        externalId: EXTERNAL_ID,
        transferId: 'xfr-1',
        eventKind: kind,
        eventTime: DATE,
        deliveryId: 'whe-1',
        ...expected,
      });
    });
  }

  it('reads the externalId from requestBody when the transfer has none at the top level', () => {
    const rest = omit(transfer(), 'externalId');
    assert.equal(updateOf(interpret('wallet.transfer.confirmed', { transferRequest: { ...rest, status: 'Confirmed' } })).externalId, EXTERNAL_ID);
  });

  it('ignores a transfer without an externalId', () => {
    const rest = omit(transfer(), 'externalId', 'requestBody');
    assert.deepEqual(interpret('wallet.transfer.confirmed', { transferRequest: { ...rest, status: 'Confirmed' } }), {
      kind: 'ignored',
      why: 'transfer has no externalId',
    });
  });

  it('reports a bogus status as malformed, naming data.transferRequest.status', () => {
    const meaning = interpret('wallet.transfer.confirmed', { transferRequest: transfer({ status: 'Bogus' }) });
    assert.equal(meaning.kind, 'malformed');
    assert.ok(meaning.kind === 'malformed');
    assert.deepEqual(meaning.issues.map((i) => i.field), ['data.transferRequest.status']);
  });

  it('reports a missing transferRequest as malformed, naming data.transferRequest', () => {
    const meaning = interpret('wallet.transfer.broadcasted', { transfer: transfer() });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field), ['data.transferRequest']);
  });

  it('names every bad field of the transfer', () => {
    const meaning = interpret('wallet.transfer.failed', { transferRequest: transfer({ id: '', walletId: 7, txHash: 1 }) });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field).sort(), ['data.transferRequest.id', 'data.transferRequest.txHash', 'data.transferRequest.walletId']);
  });
});

describe('interpretWebhook: policy.approval.pending', () => {
  it('takes the approval id from the approval when the transfer carries none', () => {
    const update = updateOf(interpret('policy.approval.pending', { approval: { id: 'ap-9', status: 'Pending', activity: { kind: 'Wallets:TransferAsset', transferRequest: transfer() } } }));
    assert.equal(update.status, 'AwaitingApproval');
    assert.equal(update.approvalId, 'ap-9');
    assert.equal(update.externalId, EXTERNAL_ID);
    assert.equal(update.eventKind, 'policy.approval.pending');
    assert.equal(update.deliveryId, 'whe-1');
  });

  it('keeps the transfer’s own approval id when it has one', () => {
    const update = updateOf(interpret('policy.approval.pending', { approval: { id: 'ap-9', activity: { transferRequest: transfer({ approvalId: 'ap-1' }) } } }));
    assert.equal(update.approvalId, 'ap-1');
  });

  it('ignores an approval that is not for a transfer', () => {
    assert.deepEqual(interpret('policy.approval.pending', { approval: { id: 'ap-9', activity: { kind: 'Wallets:Sign' } } }), {
      kind: 'ignored',
      why: 'approval is not for a transfer',
    });
  });

  it('ignores an approved transfer without an externalId', () => {
    const rest = omit(transfer(), 'externalId', 'requestBody');
    assert.deepEqual(interpret('policy.approval.pending', { approval: { id: 'ap-9', activity: { transferRequest: rest } } }), {
      kind: 'ignored',
      why: 'transfer has no externalId',
    });
  });

  it('reports a malformed approval, naming data.approval.id', () => {
    const meaning = interpret('policy.approval.pending', { approval: { activity: {} } });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field), ['data.approval.id']);
  });

  it('reports a malformed transfer inside the approval with its full path', () => {
    const meaning = interpret('policy.approval.pending', { approval: { id: 'ap-9', activity: { transferRequest: transfer({ status: 'Bogus' }) } } });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field), ['data.approval.activity.transferRequest.status']);
  });
});

describe('interpretWebhook: other kinds', () => {
  for (const kind of ['wallet.created', 'policy.approval.resolved', 'wallet.blockchainevent.detected', 'wallet.transfer']) {
    it(`ignores ${kind}, even with a transfer in it`, () => {
      assert.deepEqual(interpret(kind, { transferRequest: transfer() }), { kind: 'ignored', why: `event kind ${kind} is not used` });
    });
  }
});
