import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isTerminal,
  PAYMENT_STATUSES,
  transitionProblem,
  type PaymentStatus,
} from '../../src/contracts/payment-status';

// The oracle is written out by hand, not derived from the module's ranks: lifecycle order and the terminal set.
const LIFECYCLE: PaymentStatus[] = [
  'Accepted',
  'Submitted',
  'AwaitingApproval',
  'Executing',
  'Broadcasted',
  'AttemptFailed',
  'Confirmed',
  'Failed',
  'Rejected',
  'Cancelled',
];
const TERMINAL = new Set<PaymentStatus>(['Confirmed', 'Failed', 'Rejected', 'Cancelled']);
const step = (status: PaymentStatus) => Math.min(LIFECYCLE.indexOf(status), LIFECYCLE.indexOf('Confirmed'));

type Verdict = 'allowed' | 'duplicate' | 'final' | 'backwards';

function expected(from: PaymentStatus, to: PaymentStatus): Verdict {
  if (TERMINAL.has(from)) return from === to ? 'duplicate' : 'final';
  if (from === to) return 'duplicate';
  return step(to) > step(from) ? 'allowed' : 'backwards';
}

const REASON: Record<Exclude<Verdict, 'allowed'>, (from: PaymentStatus, to: PaymentStatus) => string> = {
  duplicate: (from) => `already ${from}`,
  final: (from) => `payment is already final (${from})`,
  backwards: (from, to) => `would move backwards from ${from} to ${to}`,
};

describe('payment-status', () => {
  it('lists every status once, in lifecycle order', () => {
    assert.deepEqual([...PAYMENT_STATUSES], LIFECYCLE);
  });

  it('marks exactly Confirmed, Failed, Rejected and Cancelled as terminal', () => {
    for (const status of PAYMENT_STATUSES) assert.equal(isTerminal(status), TERMINAL.has(status), status);
  });

  describe('transitionProblem over every pair of statuses', () => {
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const verdict = expected(from, to);
        it(`${from} → ${to}: ${verdict}`, () => {
          const problem = transitionProblem(from, to);
          if (verdict === 'allowed') assert.equal(problem, undefined);
          else assert.equal(problem, REASON[verdict](from, to));
        });
      }
    }
  });

  it('allows skipping intermediate states when moving forward', () => {
    assert.equal(transitionProblem('Accepted', 'Confirmed'), undefined);
    assert.equal(transitionProblem('Submitted', 'Broadcasted'), undefined);
    assert.equal(transitionProblem('AwaitingApproval', 'Rejected'), undefined);
  });

  it('lets a non-terminal payment end in any terminal state', () => {
    for (const from of PAYMENT_STATUSES.filter((s) => !TERMINAL.has(s))) {
      for (const to of TERMINAL) assert.equal(transitionProblem(from, to), undefined, `${from} → ${to}`);
    }
  });

  it('never lets a terminal payment leave, not even to another terminal state', () => {
    for (const from of TERMINAL) {
      for (const to of PAYMENT_STATUSES) assert.notEqual(transitionProblem(from, to), undefined, `${from} → ${to}`);
    }
  });

  it('allows exactly 39 of the 100 moves: every forward move out of the six non-terminal states', () => {
    let allowed = 0;
    for (const from of PAYMENT_STATUSES)
      for (const to of PAYMENT_STATUSES) if (transitionProblem(from, to) === undefined) allowed++;
    // Accepted has 9 later states, Submitted 8, AwaitingApproval 7, Executing 6, Broadcasted 5, AttemptFailed 4.
    assert.equal(allowed, 9 + 8 + 7 + 6 + 5 + 4);
  });

  describe('AttemptFailed', () => {
    it('is not terminal: the workflow may still start a new attempt or end the payment', () => {
      assert.equal(isTerminal('AttemptFailed'), false);
    });

    it('is reached from every earlier non-terminal state, e.g. a failure before or after signing', () => {
      for (const from of ['Accepted', 'Submitted', 'AwaitingApproval', 'Executing', 'Broadcasted'] as const) {
        assert.equal(transitionProblem(from, 'AttemptFailed'), undefined, from);
      }
    });

    it('may only end in a terminal state; no event moves it back into the attempt it failed', () => {
      for (const to of ['Accepted', 'Submitted', 'AwaitingApproval', 'Executing', 'Broadcasted'] as const) {
        assert.equal(transitionProblem('AttemptFailed', to), `would move backwards from AttemptFailed to ${to}`);
      }
      for (const to of TERMINAL) assert.equal(transitionProblem('AttemptFailed', to), undefined, to);
      assert.equal(transitionProblem('AttemptFailed', 'AttemptFailed'), 'already AttemptFailed');
    });

    it('cannot be reached once the payment is final', () => {
      for (const from of TERMINAL)
        assert.equal(transitionProblem(from, 'AttemptFailed'), `payment is already final (${from})`);
    });
  });
});
