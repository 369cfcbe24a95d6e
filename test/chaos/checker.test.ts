import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChaosData, PaymentRecord, SandboxTransfer } from '../../chaos/chaos-data';
import { parseChaosArgs } from '../../chaos/chaos-options';
import { checkChaos, clean, counts } from '../../chaos/checker';
import { proveChecker } from '../../chaos/planted-faults';

const id = (i: number) => `payment:chaos:k${i}`;

/** A payment that ended `status` on `attempt` with transfer `tf-<i>`, and the sandbox transfer that agrees. */
function settled(
  i: number,
  status: string,
  txHash?: string,
  attempt = 1,
): { payment: PaymentRecord; transfer: SandboxTransfer } {
  const externalId = `${id(i)}:a${attempt}`;
  const hash = txHash === undefined ? {} : { txHash };
  const final = { status, attempt, externalId, transferId: `tf-${i}`, ...hash, deliveryIds: [`whe-${i}`] };
  return {
    payment: { paymentId: id(i), accepted: true, last: final, final },
    transfer: { id: `tf-${i}`, externalId, status, ...hash },
  };
}

/** A clean run: two Confirmed, one failed on chain, one refused by policy, hostile webhooks all refused. */
function cleanRun(): ChaosData {
  const runs = [settled(1, 'Confirmed', '0x01', 2), settled(2, 'Confirmed', '0x02'), settled(3, 'Failed', '0x03')];
  runs.push(settled(4, 'Rejected'));
  return {
    payments: runs.map((run) => run.payment),
    transfers: [
      ...runs.map((run) => run.transfer),
      // Another orchestrator's transfer, and an earlier attempt of payment 1 that failed before the chain.
      { id: 'tf-x', externalId: 'someone-else', status: 'Confirmed', txHash: '0x99' },
      { id: 'tf-0', externalId: `${id(1)}:a1`, status: 'Failed' },
    ],
    forgeries: [
      { kind: 'forged', eventId: 'whe-forged-1', paymentId: id(1), status: 401 },
      { kind: 'modified', eventId: 'whe-1b', paymentId: id(1), status: 401 },
      // A stale replay carries a genuine id the genuine delivery put on the timeline: not a forgery taken.
      { kind: 'stale', eventId: 'whe-2', paymentId: id(2), status: 401 },
    ],
  };
}

describe('the chaos checker', () => {
  it('finds nothing in a run where every payment agrees with the sandbox', () => {
    const verdict = checkChaos(cleanRun());
    assert.deepEqual(counts(verdict), { lost: 0, duplicate: 0, mismatched: 0, acceptedForgeries: 0 });
    assert.ok(clean(verdict));
  });

  it('catches each fault planted in a copy of the data, and leaves the data alone', () => {
    const data = cleanRun();
    const before = structuredClone(data);
    const proof = proveChecker(data);
    assert.deepEqual(
      proof.map((result) => [result.catches, result.planted, result.caught]),
      [
        ['lost', true, true],
        ['duplicate', true, true],
        ['mismatched', true, true],
        ['acceptedForgeries', true, true],
      ],
    );
    assert.deepEqual(data, before);
  });

  it('lost: never accepted, or accepted and never final', () => {
    const data = cleanRun();
    data.payments.push({ paymentId: id(8), accepted: false });
    data.payments.push({
      paymentId: id(9),
      accepted: true,
      last: { status: 'Broadcasted', attempt: 1, externalId: `${id(9)}:a1`, deliveryIds: [] },
    });
    const { lost } = checkChaos(data);
    assert.deepEqual(
      lost.map((finding) => [finding.paymentId, finding.why]),
      [
        [id(8), 'the API never accepted the start'],
        [id(9), 'not final within the bound (last seen Broadcasted)'],
      ],
    );
  });

  it('duplicate: two transfers for one externalId, or two broadcasts across attempts', () => {
    const data = cleanRun();
    data.transfers.push({ id: 'tf-1-again', externalId: `${id(1)}:a2`, status: 'Pending' });
    data.transfers.push({ id: 'tf-2-a2', externalId: `${id(2)}:a2`, status: 'Broadcasted', txHash: '0x22' });
    const { duplicate } = checkChaos(data);
    assert.deepEqual(
      duplicate.map((finding) => finding.paymentId),
      [id(1), id(2)],
    );
    assert.match(duplicate[0]?.why ?? '', /2 transfers share externalId/);
    assert.match(duplicate[1]?.why ?? '', /2 broadcast transfers/);
  });

  it('mismatched: status, transfer id, hash, or no transfer at all', () => {
    const data = cleanRun();
    const [one, two, three, four] = data.payments.map((payment) => payment.final);
    if (!one || !two || !three || !four) throw new Error('fixture');
    one.txHash = '0xdead';
    two.transferId = 'tf-other';
    three.status = 'Confirmed';
    four.externalId = `${id(4)}:a7`;
    const { mismatched } = checkChaos(data);
    assert.deepEqual(
      mismatched.map((finding) => finding.why),
      [
        'payment has txHash 0xdead but the sandbox has 0x01',
        `payment follows tf-other but ${id(2)}:a1 is tf-2 in the sandbox`,
        'payment is Confirmed but transfer tf-3 is Failed in the sandbox',
        `payment is Rejected but the sandbox holds no transfer ${id(4)}:a7`,
      ],
    );
  });

  it('accepted forgeries: a 2xx answer, or a forged event id on a payment timeline', () => {
    const data = cleanRun();
    data.forgeries.push({ kind: 'stale', eventId: 'whe-old', status: 204 });
    data.forgeries.push({ kind: 'forged', eventId: 'whe-forged-2', status: 401 });
    const payment = data.payments[2]?.final;
    payment?.deliveryIds.push('whe-forged-2');
    const { acceptedForgeries } = checkChaos(data);
    assert.deepEqual(
      acceptedForgeries.map((finding) => finding.why),
      ['stale webhook answered 204', `forged webhook changed payment ${id(3)}`],
    );
  });

  it('a planted fault that cannot be planted (no confirmed payment) is reported as not caught', () => {
    const data = cleanRun();
    data.payments = data.payments.filter((payment) => payment.final?.status !== 'Confirmed');
    const proof = proveChecker(data);
    assert.deepEqual(
      proof.filter((result) => !result.caught).map((result) => result.catches),
      ['duplicate', 'mismatched'],
    );
  });
});

describe('npm run chaos arguments', () => {
  it('defaults: 50 payments, a bound that grows with N, the documented fault mix', () => {
    const parsed = parseChaosArgs([]);
    assert.ok(parsed.ok);
    assert.equal(parsed.options.n, 50);
    assert.equal(parsed.options.timeoutSeconds, 265);
    assert.deepEqual([parsed.options.dropPct, parsed.options.http429Pct, parsed.options.http5xxPct], [5, 5, 5]);
    const big = parseChaosArgs(['--n', '1000', '--timeout', '900']);
    assert.ok(big.ok);
    assert.deepEqual([big.options.n, big.options.timeoutSeconds], [1000, 900]);
  });

  it('names the bad flag', () => {
    assert.deepEqual(parseChaosArgs(['--n', 'lots']), { ok: false, message: '--n: must be a number' });
    assert.deepEqual(parseChaosArgs(['--n', '0']).ok, false);
    assert.deepEqual(parseChaosArgs(['--drop', '120']), { ok: false, message: '--drop: must be 0 to 100' });
    const unknown = parseChaosArgs(['--bogus']);
    assert.ok(!unknown.ok);
    assert.match(unknown.message, /bogus/);
  });
});
