import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalUpdate } from '../../src/contracts/approval-update';
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
    requestBody: {
      kind: 'Native',
      to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      amount: '1',
      externalId: EXTERNAL_ID,
    },
    dateRequested: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

function interpret(kind: string, data: Record<string, unknown>): WebhookMeaning {
  const envelope = dfnsWebhookEnvelopeSchema.parse({
    id: 'whe-1',
    kind,
    date: DATE,
    data,
    timestampSent: 1_735_690_200,
    deliveryAttempt: 1,
  });
  return interpretWebhook(envelope);
}

type Delivered = Extract<WebhookMeaning, { kind: 'update' }>;

function deliveredOf(meaning: WebhookMeaning): Delivered {
  assert.equal(meaning.kind, 'update', JSON.stringify(meaning));
  assert.ok(meaning.kind === 'update');
  return meaning;
}

/** The transfer fact of a delivered update, checking the externalId and lookup the bridge routes by. */
function updateOf(meaning: WebhookMeaning): TransferUpdate {
  const { update, externalId, lookup } = deliveredOf(meaning);
  assert.ok(update.kind === 'transfer', JSON.stringify(update));
  assert.equal(externalId, update.externalId);
  assert.deepEqual(lookup, { transferId: update.transferId });
  return update;
}

/** The approval fact of a delivered update, checking the externalId and lookup the bridge routes by. */
function approvalOf(meaning: WebhookMeaning): ApprovalUpdate {
  const { update, externalId, lookup } = deliveredOf(meaning);
  assert.ok(update.kind === 'approval', JSON.stringify(update));
  assert.equal(externalId, update.externalId);
  assert.deepEqual(lookup, { approvalId: update.approvalId });
  return update;
}

function dfnsApproval(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ap-9',
    initiatorId: 'us-service',
    status: 'Pending',
    expirationDate: '2025-01-02T00:00:00.000Z',
    dateCreated: '2025-01-01T00:00:00.000Z',
    dateUpdated: '2025-01-01T00:00:00.000Z',
    activity: { kind: 'Wallets:Sign', transferRequest: transfer({ approvalId: 'ap-9' }) },
    policyEvaluations: [{ policyId: 'po-1', triggered: true, reason: 'amount above limit' }],
    decisions: [],
    ...extra,
  };
}

describe('dfnsWebhookEnvelopeSchema', () => {
  it('accepts a Dfns envelope and keeps unknown fields', () => {
    const parsed = dfnsWebhookEnvelopeSchema.parse({
      id: 'whe-1',
      kind: 'k',
      date: DATE,
      data: {},
      timestampSent: 1,
      retryOf: 'whe-0',
      deliveryAttempt: 2,
      extra: true,
    });
    assert.equal((parsed as Record<string, unknown>).extra, true);
  });

  it('names every missing or mistyped envelope field', () => {
    const parsed = dfnsWebhookEnvelopeSchema.safeParse({
      kind: 'k',
      date: DATE,
      data: 'x',
      timestampSent: '1',
      deliveryAttempt: 0,
    });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')).sort(), [
      'data',
      'deliveryAttempt',
      'id',
      'timestampSent',
    ]);
  });
});

describe('interpretWebhook: transfer events', () => {
  const cases: [string, Record<string, unknown>, Partial<TransferUpdate>][] = [
    ['wallet.transfer.requested', { approvalId: 'ap-7' }, { status: 'AwaitingApproval', approvalId: 'ap-7' }],
    [
      'wallet.transfer.broadcasted',
      { status: 'Broadcasted', txHash: '0xabc' },
      { status: 'Broadcasted', txHash: '0xabc' },
    ],
    [
      'wallet.transfer.confirmed',
      { status: 'Confirmed', txHash: '0xabc', fee: '21000' },
      { status: 'Confirmed', txHash: '0xabc', fee: '21000' },
    ],
    [
      'wallet.transfer.failed',
      { status: 'Failed', reason: 'execution reverted' },
      { status: 'Failed', reason: 'execution reverted' },
    ],
    [
      'wallet.transfer.rejected',
      { status: 'Rejected', approvalId: 'ap-7', reason: 'denied' },
      { status: 'Rejected', approvalId: 'ap-7', reason: 'denied' },
    ],
  ];
  for (const [kind, extra, expected] of cases) {
    it(`${kind} ${JSON.stringify(extra)} → ${expected.status}`, () => {
      assert.deepEqual(updateOf(interpret(kind, { transferRequest: transfer(extra) })), {
        kind: 'transfer',
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

  it('acknowledges a requested transfer with no approval without a signal: the submission answers it', () => {
    assert.deepEqual(interpret('wallet.transfer.requested', { transferRequest: transfer() }), {
      kind: 'ignored',
      why: 'a requested transfer: the submission answers it',
    });
  });

  it('reads the externalId from requestBody when the transfer has none at the top level', () => {
    const rest = omit(transfer(), 'externalId');
    assert.equal(
      updateOf(interpret('wallet.transfer.confirmed', { transferRequest: { ...rest, status: 'Confirmed' } }))
        .externalId,
      EXTERNAL_ID,
    );
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
    assert.deepEqual(
      meaning.issues.map((i) => i.field),
      ['data.transferRequest.status'],
    );
  });

  it('reports a missing transferRequest as malformed, naming data.transferRequest', () => {
    const meaning = interpret('wallet.transfer.broadcasted', { transfer: transfer() });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(
      meaning.issues.map((i) => i.field),
      ['data.transferRequest'],
    );
  });

  it('names every bad field of the transfer', () => {
    const meaning = interpret('wallet.transfer.failed', {
      transferRequest: transfer({ id: '', walletId: 7, txHash: 1 }),
    });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field).sort(), [
      'data.transferRequest.id',
      'data.transferRequest.txHash',
      'data.transferRequest.walletId',
    ]);
  });
});

describe('interpretWebhook: approval events', () => {
  it('turns policy.approval.pending into an approval update, routed by the transfer’s externalId', () => {
    const meaning = interpret('policy.approval.pending', { approval: dfnsApproval() });
    assert.deepEqual(approvalOf(meaning), {
      kind: 'approval',
      source: 'webhook',
      approvalId: 'ap-9',
      externalId: EXTERNAL_ID,
      status: 'Pending',
      expirationDate: '2025-01-02T00:00:00.000Z',
      eventKind: 'policy.approval.pending',
      eventTime: DATE,
      deliveryId: 'whe-1',
    });
    assert.equal(deliveredOf(meaning).externalId, EXTERNAL_ID);
  });

  it('turns policy.approval.resolved with an approval object into an approval update naming the decider', () => {
    const decisions = [{ userId: 'us-approver-1', date: DATE, reason: 'not whitelisted', value: 'Denied' }];
    const update = approvalOf(
      interpret('policy.approval.resolved', {
        approval: dfnsApproval({ status: 'Denied', decisions, dateResolved: DATE }),
      }),
    );
    assert.equal(update.status, 'Denied');
    assert.equal(update.decidedBy, 'us-approver-1');
    assert.equal(update.reason, 'not whitelisted');
    assert.equal(update.eventKind, 'policy.approval.resolved');
  });

  it('uses the approval’s own id, whatever the transfer inside says', () => {
    const approvalData = dfnsApproval({
      activity: { kind: 'Wallets:Sign', transferRequest: transfer({ approvalId: 'ap-stale' }) },
    });
    assert.equal(approvalOf(interpret('policy.approval.pending', { approval: approvalData })).approvalId, 'ap-9');
  });

  it('reads the externalId from the transfer’s requestBody when the transfer has none at the top level', () => {
    const rest = omit(transfer(), 'externalId');
    const update = approvalOf(
      interpret('policy.approval.pending', {
        approval: dfnsApproval({ activity: { kind: 'Wallets:Sign', transferRequest: rest } }),
      }),
    );
    assert.equal(update.externalId, EXTERNAL_ID);
  });

  it('leaves the externalId out and routes by approval id when the approval carries no transfer', () => {
    for (const activity of [{ kind: 'Wallets:Sign' }, undefined]) {
      const data = activity ? dfnsApproval({ activity }) : omit(dfnsApproval(), 'activity');
      const meaning = deliveredOf(interpret('policy.approval.resolved', { approval: { ...data, status: 'Approved' } }));
      assert.equal(meaning.externalId, undefined);
      assert.deepEqual(meaning.lookup, { approvalId: 'ap-9' });
      assert.equal(approvalOf(meaning).externalId, undefined);
    }
  });

  it('accepts an approval whose activity names no kind', () => {
    const update = approvalOf(
      interpret('policy.approval.pending', { approval: dfnsApproval({ activity: { transferRequest: transfer() } }) }),
    );
    assert.equal(update.externalId, EXTERNAL_ID);
  });

  for (const kind of ['Permissions:Modify', 'Policies:Modify', 'Wallets:IncomingTransaction']) {
    it(`ignores an approval for ${kind}`, () => {
      assert.deepEqual(interpret('policy.approval.pending', { approval: dfnsApproval({ activity: { kind } }) }), {
        kind: 'ignored',
        why: `approval for ${kind}`,
      });
    });
  }

  for (const kind of ['policy.approval.resolved', 'policy.approval.pending']) {
    it(`ignores ${kind} without an approval object (the other documented shape), even with a transfer in it`, () => {
      assert.deepEqual(interpret(kind, { approvalId: 'ap-9', status: 'Approved', transferRequest: transfer() }), {
        kind: 'ignored',
        why: `${kind} without an approval object`,
      });
    });
  }

  it('reports a malformed approval, naming data.approval.id', () => {
    const meaning = interpret('policy.approval.pending', { approval: omit(dfnsApproval(), 'id') });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(
      meaning.issues.map((i) => i.field),
      ['data.approval.id'],
    );
  });

  it('reports an approval that is not an object', () => {
    const meaning = interpret('policy.approval.resolved', { approval: null });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(
      meaning.issues.map((i) => i.field),
      ['data.approval'],
    );
  });

  it('reports an unknown approval status and a bad decision, naming their paths', () => {
    const meaning = interpret('policy.approval.resolved', {
      approval: dfnsApproval({ status: 'AutoApproved', decisions: [{ userId: 'us-1', value: 'Maybe' }] }),
    });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(meaning.issues.map((i) => i.field).sort(), [
      'data.approval.decisions.0.value',
      'data.approval.status',
    ]);
  });

  it('reports a malformed transfer inside the approval with its full path', () => {
    const meaning = interpret('policy.approval.pending', {
      approval: dfnsApproval({ activity: { kind: 'Wallets:Sign', transferRequest: transfer({ status: 'Bogus' }) } }),
    });
    assert.ok(meaning.kind === 'malformed', JSON.stringify(meaning));
    assert.deepEqual(
      meaning.issues.map((i) => i.field),
      ['data.approval.activity.transferRequest.status'],
    );
  });
});

describe('interpretWebhook: other kinds', () => {
  for (const kind of ['wallet.created', 'wallet.blockchainevent.detected', 'wallet.transfer', 'policy.approval']) {
    it(`ignores ${kind}, even with a transfer in it`, () => {
      assert.deepEqual(interpret(kind, { transferRequest: transfer() }), {
        kind: 'ignored',
        why: `event kind ${kind} is not used`,
      });
    });
  }

  it('reads policy.triggered (compliance) and refuses one without its policy evaluation, naming the field', () => {
    const found = interpret('policy.triggered', { transferRequest: transfer() });
    assert.equal(found.kind, 'malformed');
    assert.deepEqual(found.kind === 'malformed' ? found.issues.map((issue) => issue.field) : [], [
      'data.policyEvaluation',
    ]);
  });
});
