import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acknowledge,
  acknowledgeProblem,
  addFindings,
  emptyFindingBook,
  FINDING_LIMITS,
  FINDING_KINDS,
  openCounts,
  type FindingDraft,
} from '../../src/contracts/reconciliation-findings';
import {
  acknowledgeRequestProblems,
  parseReconciliationId,
  reconciliationIdFor,
} from '../../src/contracts/reconciliation-messages';
import { FINDING_KIND_LABELS } from '../../src/observability/metric-names';

const draft = (id: string, kind: FindingDraft['kind'] = 'unmatched_transfer'): FindingDraft => ({
  id,
  kind,
  walletId: 'wa-1',
  summary: id,
});
const ack = { by: 'anna', reason: 'known', at: '2026-01-02T00:00:00.000Z' };

describe('the finding book', () => {
  it('keeps a finding once however often it is found again, acknowledged or not', () => {
    const first = addFindings(emptyFindingBook(), [draft('a'), draft('b'), draft('a')], 1, 'now');
    assert.deepEqual(
      first.added.map((f) => f.id),
      ['a', 'b'],
    );
    const acked = acknowledge(first.book, 'a', ack);
    const second = addFindings(acked, [draft('a'), draft('b'), draft('c')], 2, 'later');
    assert.deepEqual(
      second.added.map((f) => [f.id, f.run]),
      [['c', 2]],
    );
    assert.equal(second.book.findings.find((f) => f.id === 'a')?.acknowledged?.by, 'anna');
  });

  it('refuses to acknowledge an unknown or acknowledged finding', () => {
    const { book } = addFindings(emptyFindingBook(), [draft('a')], 1, 'now');
    assert.equal(acknowledgeProblem(book, 'zzz'), 'no finding zzz');
    assert.equal(acknowledgeProblem(book, 'a'), undefined);
    assert.match(acknowledgeProblem(acknowledge(book, 'a', ack), 'a') ?? '', /already acknowledged by anna/);
  });

  it('counts open findings beyond the cap instead of listing them, and never counts acknowledged ones as open', () => {
    const drafts = Array.from({ length: FINDING_LIMITS.open + 3 }, (_, i) =>
      draft(`f${i}`, i % 2 ? 'balance_drift' : 'unmatched_transfer'),
    );
    const { book, added } = addFindings(emptyFindingBook(), drafts, 1, 'now');
    assert.equal(added.length, FINDING_LIMITS.open);
    const counts = openCounts(book);
    assert.equal(counts.unmatched_transfer + counts.balance_drift, FINDING_LIMITS.open + 3);
    assert.equal(openCounts(acknowledge(book, 'f0', ack)).unmatched_transfer, counts.unmatched_transfer - 1);
  });

  it('drops the oldest acknowledged findings beyond their cap, counting them', () => {
    let { book } = addFindings(
      emptyFindingBook(),
      Array.from({ length: FINDING_LIMITS.acknowledged + 2 }, (_, i) => draft(`f${i}`)),
      1,
      'now',
    );
    for (const finding of [...book.findings]) book = acknowledge(book, finding.id, ack);
    assert.equal(book.findings.length, FINDING_LIMITS.acknowledged);
    assert.equal(book.acknowledgedOmitted, 2);
    assert.equal(book.findings[0]?.id, 'f2');
  });

  it('checks an acknowledgement names a finding, an operator and a reason', () => {
    assert.deepEqual(acknowledgeRequestProblems({ findingId: 'a', operator: 'anna', reason: 'known' }), []);
    assert.deepEqual(acknowledgeRequestProblems({ operator: ' ', reason: 'x'.repeat(501) }), [
      { field: 'findingId', message: 'is required' },
      { field: 'operator', message: 'is required' },
      { field: 'reason', message: 'must be at most 500 characters' },
    ]);
  });

  it('has the metric labels of every finding kind', () => {
    assert.deepEqual([...FINDING_KIND_LABELS], [...FINDING_KINDS]);
  });
});

describe('reconciliation ids', () => {
  it('name a wallet or a pool, and nothing else', () => {
    assert.equal(reconciliationIdFor({ kind: 'wallet', walletId: 'wa-abc' }), 'reconciliation:wallet:wa-abc');
    assert.equal(reconciliationIdFor({ kind: 'pool', pool: 'usdc-hot' }), 'reconciliation:pool:usdc-hot');
    assert.deepEqual(parseReconciliationId('reconciliation:pool:usdc-hot'), { kind: 'pool', pool: 'usdc-hot' });
    for (const bad of [
      'reconciliation:wallet:',
      'reconciliation:box:x',
      "reconciliation:wallet:wa-1' OR 1=1",
      'payment:x',
    ])
      assert.equal(parseReconciliationId(bad), undefined, bad);
  });
});
