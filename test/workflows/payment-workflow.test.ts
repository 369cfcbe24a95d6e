import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cancelUpdate,
  legacyApprovalUpdateSignal,
  legacyTransferUpdateSignal,
  paymentStateQuery,
  paymentUpdateSignal,
  retryUpdate,
  speedUpUpdate,
  type PaymentOutcome,
  type PaymentTimings,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { DfnsApprovalIdKey, PaymentStatusKey, PaymentStuckKey } from '../../src/contracts/search-attributes';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { omit } from '../contracts/omit';
import { clientBindings } from '../../src/clients/client-bindings';
import { refuseUnboundPayer } from '../../src/clients/payer-check';
import { dfnsRefusal, FakeDfns } from '../support/fake-dfns';
import { keepHistory } from '../support/histories';
import { startTimeSkipping, testInput, withWorker, waitForState } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const MINUTE = 60_000;

describe('payment workflow (time-skipping test server, scripted Dfns)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  type Handle = WorkflowHandle<(input: PaymentWorkflowInput) => Promise<PaymentOutcome>>;
  /** Runs one payment against a scripted Dfns; `drive` plays Dfns's side while the workflow runs. */
  async function scenario(
    key: string,
    fake: FakeDfns,
    drive: (handle: Handle, input: PaymentWorkflowInput) => Promise<void>,
    options: {
      timings?: Partial<PaymentTimings>;
      request?: Partial<PaymentRequest>;
      history?: string;
      clientId?: string;
    } = {},
  ): Promise<{ outcome: PaymentOutcome; state: PaymentState; handle: Handle }> {
    return withWorker(env, bundle, fake, async (taskQueue) => {
      const input = {
        ...testInput(key, options.timings, options.request),
        ...(options.clientId ? { clientId: options.clientId } : {}),
      };
      const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      try {
        await waitForState(handle, (s) => s.status !== 'Accepted' || s.attempt > 1 || s.timeline.length > 1);
        await drive(handle, input);
      } catch (error) {
        await handle.terminate('test failed');
        throw error;
      }
      const outcome = await handle.result();
      const state = await handle.query(paymentStateQuery);
      if (options.history) await keepHistory(options.history, handle);
      return { outcome, state, handle };
    });
  }

  const a1 = (input: PaymentWorkflowInput) => `${input.paymentId}:a1`;
  /**
   * A payload as bridges sent it before the paymentUpdate signal: the signal's name said transfer or approval. The
   * scenarios that record the original replay histories still drive those legacy signals, so that re-recording them
   * keeps proving that payments started before the change go on the same way; the rest use paymentUpdate.
   */
  const withoutKind = <T extends { kind: string }>(update: T): Omit<T, 'kind'> => omit(update, 'kind');
  const applied = (state: PaymentState) =>
    state.timeline.filter((e) => e.applied && e.status).map((e) => `${e.source}:${e.status}`);

  it('happy path: webhooks carry it to Confirmed and Dfns is never read', async () => {
    const fake = new FakeDfns();
    const { outcome, state, handle } = await scenario(
      'happy',
      fake,
      async (h, input) => {
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted')),
        );
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed')),
        );
      },
      { history: 'happy-path' },
    );
    assert.deepEqual(outcome, {
      paymentId: 'payment:happy',
      status: 'Confirmed',
      attempt: 1,
      externalId: 'payment:happy:a1',
      transferId: 'xfr-1',
      txHash: TX,
    });
    assert.deepEqual(applied(state), [
      'workflow:Accepted',
      'submit:Submitted',
      'webhook:Broadcasted',
      'webhook:Confirmed',
    ]);
    assert.deepEqual(fake.calls, ['submitTransfer']);
    const described = await handle.describe();
    assert.equal(described.typedSearchAttributes.get(PaymentStatusKey), 'Confirmed');
  });

  it('all webhooks lost: silence timers poll Dfns, with backoff, until Confirmed', async () => {
    const fake = new FakeDfns();
    fake.onRead = (_t, reads) =>
      reads < 3 ? { status: 'Executing' } : reads < 5 ? { status: 'Broadcasted', txHash: TX } : { status: 'Confirmed' };
    const { outcome, state } = await scenario('lost', fake, async () => {}, { history: 'all-webhooks-lost' });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.count('getTransfer'), 5);
    assert.deepEqual(applied(state), [
      'workflow:Accepted',
      'submit:Submitted',
      'poll:Executing',
      'poll:Broadcasted',
      'poll:Confirmed',
    ]);
    const polls = state.timeline.filter((e) => e.source === 'poll').map((e) => Date.parse(e.at));
    const gaps = polls.slice(1).map((t, i) => t - (polls[i] as number));
    assert.ok(gaps[1]! >= gaps[0]! * 2 - 1_000, `backoff doubles while nothing changes: ${gaps.join(', ')}`);
  });

  it('a read Dfns refuses is recorded and tried again later; it never ends the payment', async () => {
    const fake = new FakeDfns();
    let reads = 0;
    const realGet = fake.activities.getTransfer.bind(fake.activities);
    fake.activities.getTransfer = async (ref) => {
      if (++reads === 1)
        throw ApplicationFailure.nonRetryable('getTransfer: Dfns answered 401: token expired', 'Unauthorized');
      return realGet(ref);
    };
    fake.onRead = () => ({ status: 'Confirmed', txHash: TX });
    const { outcome, state } = await scenario('read-refused', fake, async () => {});
    assert.equal(outcome.status, 'Confirmed');
    const failed = state.timeline.find((e) => e.event === 'getTransfer failed');
    assert.match(failed?.note ?? '', /token expired/);
    assert.equal(reads, 2, 'tried again at the next silence');
  });

  it('duplicate, late and reordered events are recorded and never move it backwards', async () => {
    const fake = new FakeDfns();
    const { outcome, state } = await scenario(
      'reordered',
      fake,
      async (h, input) => {
        const broadcasted = fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted');
        const confirmed = fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed');
        await h.signal(legacyTransferUpdateSignal, withoutKind({ ...confirmed, deliveryId: 'whe-2' }));
        await h.signal(legacyTransferUpdateSignal, withoutKind({ ...broadcasted, deliveryId: 'whe-1' }));
        await h.signal(legacyTransferUpdateSignal, withoutKind({ ...confirmed, deliveryId: 'whe-3' }));
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind({ ...broadcasted, externalId: 'payment:reordered:a9', deliveryId: 'whe-4' }),
        );
        await h.signal(legacyTransferUpdateSignal, { bogus: true } as never);
      },
      { history: 'duplicate-and-reordered' },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.txHash, TX, 'facts from a late event are still kept');
    const ignored = state.timeline.filter((e) => !e.applied).map((e) => `${e.deliveryId ?? e.event}: ${e.note ?? ''}`);
    assert.equal(ignored.length, 4);
    assert.match(ignored[0]!, /whe-1: ignored: payment is already final \(Confirmed\)/);
    assert.match(ignored[1]!, /whe-3: ignored: already Confirmed/);
    assert.match(ignored[2]!, /whe-4: ignored: belongs to payment:reordered:a9/);
    assert.match(ignored[3]!, /malformed transfer update/);
  });

  it('approval: waits AwaitingApproval with the approval id, then continues when approved', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-1', status: 'AwaitingApproval' });
    const { outcome, state } = await scenario(
      'approved',
      fake,
      async (h, input) => {
        const waiting = await waitForState(h, (s) => s.approval !== undefined);
        assert.equal(waiting.status, 'AwaitingApproval');
        assert.equal((await h.describe()).typedSearchAttributes.get(DfnsApprovalIdKey), 'ap-1');
        await h.signal(
          legacyApprovalUpdateSignal,
          withoutKind(fake.decide('ap-1', { status: 'Approved', decidedBy: 'us-alice' })),
        );
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted')),
        );
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed')),
        );
      },
      { history: 'approval-approved' },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(state.approval?.status, 'Approved');
    assert.equal(fake.count('denyApproval'), 0);
  });

  it('approval denied: Rejected with the approver reason', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-2', status: 'AwaitingApproval' });
    const { outcome } = await scenario(
      'denied',
      fake,
      async (h) => {
        await waitForState(h, (s) => s.approval !== undefined);
        await h.signal(
          legacyApprovalUpdateSignal,
          withoutKind(fake.decide('ap-2', { status: 'Denied', decidedBy: 'us-bob', reason: 'unknown vendor' })),
        );
      },
      { history: 'approval-denied' },
    );
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.reason, 'approval denied by us-bob: unknown vendor');
  });

  it('approval deadline: expirationDate plus grace, then re-read, deny as initiator, Rejected (expired)', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-3', status: 'AwaitingApproval' });
    // Server time, not this process's: the test server's clock has been skipped ahead by earlier tests.
    const expiration = (await env.currentTimeMs()) + 30 * MINUTE;
    fake.approvals.set('ap-3', {
      id: 'ap-3',
      externalId: 'payment:expired:a1',
      status: 'Pending',
      expirationDate: new Date(expiration).toISOString(),
    });
    const { outcome, state } = await scenario(
      'expired',
      fake,
      async (h) => {
        await waitForState(h, (s) => s.approval?.expirationDate !== undefined);
      },
      { history: 'approval-expired', timings: { approvalGraceMs: 5 * MINUTE, approvalPollIntervalMs: 60 * MINUTE } },
    );
    assert.equal(outcome.status, 'Rejected');
    assert.match(outcome.reason ?? '', /approval denied by us-service-account: approval expired/);
    assert.equal(fake.count('denyApproval'), 1);
    assert.equal(fake.approvals.get('ap-3')!.status, 'Denied', 'Dfns holds the denial: the transfer can never execute');
    const deadline = state.timeline.find((e) => e.event === 'approval deadline');
    assert.ok(deadline && Date.parse(deadline.at) >= expiration + 5 * MINUTE, 'acts only after expiry plus grace');
  });

  it('approval deadline without expirationDate uses the configured maximum; an approval seen at the re-read goes on', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-4', status: 'AwaitingApproval' });
    let reads = 0;
    const realGet = fake.activities.getApproval.bind(fake.activities);
    fake.activities.getApproval = async (ref) => {
      // Approved by a person at the last moment: the re-read at the deadline sees it, so no deny happens.
      if (++reads > 1) fake.approvals.get('ap-4')!.status = 'Approved';
      return realGet(ref);
    };
    fake.onRead = () => ({ status: 'Confirmed', txHash: TX });
    const { outcome, state } = await scenario('max-wait', fake, async () => {}, {
      timings: {
        maxApprovalWaitMs: 2 * 60 * MINUTE,
        approvalPollIntervalMs: 24 * 60 * MINUTE,
        approvalFastWindowMs: 0, // no fast polling first: the only read is the re-read at the deadline
        firstPollAfterMs: MINUTE,
      },
    });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.count('denyApproval'), 0);
    const approvedAt = state.timeline.find(
      (e) => e.event === 'getApproval' && e.applied && e.note?.includes('approved'),
    );
    assert.ok(approvedAt && Date.parse(approvedAt.at) - Date.parse(state.createdAt) >= 2 * 60 * MINUTE);
  });

  it('policy Block: Rejected with Dfns reason', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({
      status: 'Rejected',
      reason: 'Blocked by policy plc-velocity: cumulative amount above limit',
    });
    const { outcome } = await scenario('blocked', fake, async () => {}, { history: 'blocked' });
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.reason, 'Blocked by policy plc-velocity: cumulative amount above limit');
  });

  it('a policy block answered with 403 also ends Rejected, with the reason', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () =>
      dfnsRefusal(403, 'Blocked by policy plc-1', { policyId: 'plc-1', reason: 'amount above limit' });
    const { outcome } = await scenario('blocked-403', fake, async () => {}, { history: 'policy-blocked-403' });
    assert.equal(outcome.status, 'Rejected');
    assert.match(outcome.reason ?? '', /Blocked by policy plc-1/);
    assert.equal(outcome.failureType, 'PolicyBlocked');
    assert.equal(fake.count('submitTransfer'), 1);
  });

  it('a 403 naming no policy is a missing permission, whatever its message says: Failed, Forbidden', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => dfnsRefusal(403, 'blocked: missing permission Wallets:Transfers:Create for this policy');
    const { outcome } = await scenario('forbidden-403', fake, async () => {});
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureType, 'Forbidden');
  });

  it('Dfns refuses the request: Failed with the failure type, no retry', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () =>
      ApplicationFailure.nonRetryable('transferAsset: Dfns answered 400: invalid destination', 'InvalidTransfer');
    const { outcome } = await scenario('refused', fake, async () => {});
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureType, 'InvalidTransfer');
    assert.equal(fake.count('submitTransfer'), 1);
  });

  it('a refusal on a retry of the submission does not end the payment: the transfer may exist, so it is resubmitted and followed', async () => {
    const fake = new FakeDfns();
    let tries = 0;
    const realSubmit = fake.activities.submitTransfer.bind(fake.activities);
    fake.activities.submitTransfer = async (input) => {
      tries += 1;
      if (tries === 1) {
        await realSubmit(input); // Dfns creates the transfer, but the answer is lost
        throw ApplicationFailure.retryable('transferAsset: socket hang up', 'DfnsUnavailable');
      }
      if (tries === 2)
        throw ApplicationFailure.nonRetryable('transferAsset: Dfns answered 401: token expired', 'Unauthorized', {
          attempt: 2,
        });
      return realSubmit(input);
    };
    const { outcome, state } = await scenario('refused-retry', fake, async (h, input) => {
      await waitForState(h, (s) => s.needsAttention);
      await h.signal(
        paymentUpdateSignal,
        fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'),
      );
      await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
    });
    assert.equal(outcome.status, 'Confirmed', 'never claims Failed while Dfns holds the transfer');
    assert.equal(fake.transfers.size, 1);
    assert.ok(
      state.timeline.some(
        (e) => e.event === 'transferAsset refused' && /may already hold the transfer/.test(e.note ?? ''),
      ),
    );
  });

  /** A worker's payer check for these tests: payments without a client may pay from nothing. */
  const unbound = { clients: clientBindings({ version: 1, clients: [] }), pools: [] };

  it('a payer the worker refuses on the first try ends Failed, WalletNotBound, without another try', async () => {
    const fake = new FakeDfns();
    const payers: unknown[] = [];
    fake.activities.submitTransfer = async (input) => {
      payers.push(input.payer);
      refuseUnboundPayer(unbound, input.payer?.clientId, input.request, 1);
      throw new Error('the payer check let it through');
    };
    const { outcome, state } = await scenario('unbound', fake, async () => {});
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureType, 'WalletNotBound');
    assert.match(outcome.reason ?? '', /a payment without a client may not pay from wallet/);
    // Sent even for a payment without a client, so that the check can never be skipped by leaving it out.
    assert.deepEqual(payers, [{}]);
    assert.ok(state.timeline.some((e) => e.event === 'payer refused'));
  });

  it('a payer refused on a retry of the submission is flagged and resubmitted, never Failed while Dfns may hold it', async () => {
    const fake = new FakeDfns();
    let tries = 0;
    const realSubmit = fake.activities.submitTransfer.bind(fake.activities);
    fake.activities.submitTransfer = async (input) => {
      tries += 1;
      if (tries === 1) {
        await realSubmit(input); // Dfns creates the transfer, but the answer is lost
        throw ApplicationFailure.retryable('transferAsset: socket hang up', 'DfnsUnavailable');
      }
      if (tries === 2) refuseUnboundPayer(unbound, undefined, input.request, 2); // the binding was removed meanwhile
      return realSubmit(input); // restored
    };
    const { outcome, state } = await scenario('unbound-retry', fake, async (h, input) => {
      await waitForState(h, (s) => s.needsAttention);
      await h.signal(
        paymentUpdateSignal,
        fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'),
      );
      await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
    });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.transfers.size, 1);
    assert.ok(
      state.timeline.some((e) => e.event === 'payer refused' && /may already hold the transfer/.test(e.note ?? '')),
    );
  });

  it('a 409 on the submission follows the transfer Dfns already holds under the externalId', async () => {
    const fake = new FakeDfns();
    fake.transfers.set('payment:conflict:a1', {
      id: 'xfr-held',
      externalId: 'payment:conflict:a1',
      status: 'Broadcasted',
      txHash: TX,
    });
    const duplicate = { id: 'xfr-held', externalId: 'payment:conflict:a1' };
    fake.activities.submitTransfer = () =>
      Promise.reject(dfnsRefusal(409, 'Conflicting transfer with same externalId', { duplicate }));
    fake.onRead = () => ({ status: 'Confirmed' });
    const { outcome } = await scenario('conflict', fake, async () => {}, { history: 'duplicate-external-id-409' });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.transferId, 'xfr-held');
  });

  it('a 409 that names no transfer ends the payment Failed with ExternalIdConflict', async () => {
    const fake = new FakeDfns();
    fake.activities.submitTransfer = () =>
      Promise.reject(dfnsRefusal(409, 'Conflicting transfer with same externalId'));
    const { outcome } = await scenario('conflict-unnamed', fake, async () => {});
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureType, 'ExternalIdConflict');
    assert.equal(fake.count('getTransfer'), 0);
  });

  it('a cancellation requested through Temporal is handled as an operator cancel, never abandoning the transfer', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-9', status: 'AwaitingApproval' });
    const { outcome, handle } = await scenario('temporal-cancel', fake, async (h) => {
      await waitForState(h, (s) => s.approval !== undefined);
      await h.cancel();
    });
    assert.equal(outcome.status, 'Cancelled');
    assert.equal(fake.approvals.get('ap-9')!.status, 'Denied', 'denied in Dfns as the initiator');
    assert.equal((await handle.describe()).status.name, 'COMPLETED');
  });

  it('failed before broadcast: retried automatically as a new attempt with a new externalId', async () => {
    const fake = new FakeDfns();
    const { outcome, state } = await scenario(
      'retried',
      fake,
      async (h, input) => {
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Failed', reason: 'nonce too low' }, 'wallet.transfer.failed')),
        );
        await waitForState(h, (s) => s.attempt === 2 && s.status === 'Submitted');
        const a2 = `${input.paymentId}:a2`;
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a1(input), { status: 'Failed' }, 'wallet.transfer.failed')),
        ); // late, old attempt
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a2, { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted')),
        );
        await h.signal(
          legacyTransferUpdateSignal,
          withoutKind(fake.set(a2, { status: 'Confirmed' }, 'wallet.transfer.confirmed')),
        );
      },
      { history: 'failed-then-retried' },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.externalId, 'payment:retried:a2');
    assert.deepEqual([...fake.transfers.keys()], ['payment:retried:a1', 'payment:retried:a2']);
    assert.deepEqual(state.previousAttempts, [
      { attempt: 1, externalId: 'payment:retried:a1', transferId: 'xfr-1', reason: 'nonce too low' },
    ]);
  });

  it('attempts used up: waits for an operator, whose retry starts a new attempt; retry is refused in other states', async () => {
    const fake = new FakeDfns();
    const { outcome } = await scenario(
      'operator-retry',
      fake,
      async (h, input) => {
        await assert.rejects(
          h.executeUpdate(retryUpdate, { args: [{}] }),
          (e: unknown) =>
            e instanceof WorkflowUpdateFailedError && /only a failed attempt/.test(String(e.cause?.message)),
        );
        await h.signal(
          paymentUpdateSignal,
          fake.set(a1(input), { status: 'Failed', reason: 'rpc down' }, 'wallet.transfer.failed'),
        );
        await waitForState(
          h,
          (s) => s.status === 'AttemptFailed' && s.timeline.some((e) => e.event === 'waiting for an operator'),
        );
        const result = await h.executeUpdate(retryUpdate, {
          args: [{ operator: 'ops@example.com', reason: 'rpc back' }],
        });
        assert.match(result.message, /attempt 2 started with externalId payment:operator-retry:a2/);
        await waitForState(h, (s) => s.attempt === 2 && s.status === 'Submitted');
        await h.signal(
          paymentUpdateSignal,
          fake.set(`${input.paymentId}:a2`, { status: 'Confirmed', txHash: TX }, 'wallet.transfer.confirmed'),
        );
      },
      { timings: { maxAutoAttempts: 1 } },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.attempt, 2);
  });

  it('attempts used up and no operator within the window: Failed', async () => {
    const fake = new FakeDfns();
    const { outcome } = await scenario(
      'window',
      fake,
      async (h, input) => {
        await h.signal(
          paymentUpdateSignal,
          fake.set(a1(input), { status: 'Failed', reason: 'rpc down' }, 'wallet.transfer.failed'),
        );
      },
      { timings: { maxAutoAttempts: 1, operatorWindowMs: 60 * MINUTE } },
    );
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.reason, 'rpc down');
  });

  it('failed on chain (txHash): final and flagged as needing a person', async () => {
    const fake = new FakeDfns();
    const { outcome, state } = await scenario('reverted', fake, async (h, input) => {
      await h.signal(
        paymentUpdateSignal,
        fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'),
      );
      await h.signal(
        paymentUpdateSignal,
        fake.set(a1(input), { status: 'Failed', reason: 'execution reverted' }, 'wallet.transfer.failed'),
      );
    });
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.needsAttention, true);
    assert.equal(state.attempt, 1, 'never retried: something reached the chain');
  });

  it('operator cancel while awaiting approval denies it as the initiator and ends Cancelled', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-5', status: 'AwaitingApproval' });
    const { outcome } = await scenario(
      'cancelled',
      fake,
      async (h) => {
        await waitForState(h, (s) => s.approval !== undefined);
        const result = await h.executeUpdate(cancelUpdate, {
          args: [{ operator: 'ops@example.com', reason: 'duplicate payout' }],
        });
        assert.equal(result.status, 'Cancelled');
        // The payment is closed now; a second cancel cannot reach it at all.
        await assert.rejects(h.executeUpdate(cancelUpdate, { args: [{}] }));
      },
      { history: 'cancelled' },
    );
    assert.equal(outcome.status, 'Cancelled');
    assert.equal(outcome.reason, 'cancelled by ops@example.com: duplicate payout');
    assert.equal(fake.approvals.get('ap-5')!.status, 'Denied');
  });

  it('operator cancel while executing aborts the transfer; after broadcast the validator refuses', async () => {
    const fake = new FakeDfns();
    const aborted = await scenario('abort', fake, async (h, input) => {
      await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Executing' }));
      await waitForState(h, (s) => s.status === 'Executing');
      await h.executeUpdate(cancelUpdate, { args: [{ reason: 'wrong amount' }] });
    });
    assert.equal(aborted.outcome.status, 'Cancelled');
    assert.equal(fake.count('abortTransfer'), 1);

    const late = new FakeDfns();
    const { outcome } = await scenario('too-late', late, async (h, input) => {
      await h.signal(paymentUpdateSignal, late.set(a1(input), { status: 'Broadcasted', txHash: TX }));
      await waitForState(h, (s) => s.status === 'Broadcasted');
      await assert.rejects(
        h.executeUpdate(cancelUpdate, { args: [{}] }),
        (e: unknown) => e instanceof WorkflowUpdateFailedError && /already broadcast/.test(String(e.cause?.message)),
      );
      await h.signal(paymentUpdateSignal, late.set(a1(input), { status: 'Confirmed' }));
    });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(late.count('abortTransfer'), 0);
  });

  it('stuck broadcast: flagged with PaymentStuck and sped up once, then confirmed', async () => {
    const fake = new FakeDfns();
    fake.onRead = (t) => (t.txHash === `0x${'b'.repeat(64)}` ? { status: 'Confirmed' } : {});
    const { outcome, state, handle } = await scenario(
      'stuck',
      fake,
      async (h, input) => {
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Broadcasted', txHash: TX }));
      },
      { timings: { stuckAfterMs: 20 * MINUTE, firstPollAfterMs: 10 * MINUTE, maxPollIntervalMs: 10 * MINUTE } },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.txHash, `0x${'b'.repeat(64)}`, 'the replacement txHash is the one that confirmed');
    assert.equal(fake.count('speedUpTransfer'), 1);
    assert.ok(state.timeline.some((e) => e.event === 'stuck'));
    assert.equal((await handle.describe()).typedSearchAttributes.get(PaymentStuckKey), false, 'cleared once confirmed');
  });

  it('operator speedUp works only while broadcast', async () => {
    const fake = new FakeDfns();
    const { outcome } = await scenario('speed', fake, async (h, input) => {
      await assert.rejects(
        h.executeUpdate(speedUpUpdate, { args: [{}] }),
        (e: unknown) =>
          e instanceof WorkflowUpdateFailedError && /only a broadcast transfer/.test(String(e.cause?.message)),
      );
      await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Broadcasted', txHash: TX }));
      await waitForState(h, (s) => s.status === 'Broadcasted');
      const result = await h.executeUpdate(speedUpUpdate, { args: [{ operator: 'ops' }] });
      assert.match(result.message, /sped up; txHash 0xbbbb/);
      await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed' }));
    });
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.count('speedUpTransfer'), 1);
  });

  it('sends the outcome callback when the request asks for one', async () => {
    const fake = new FakeDfns();
    const { outcome, state } = await scenario(
      'callback',
      fake,
      async (h, input) => {
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed', txHash: TX }));
      },
      // Recorded with the cost-class queues and the callback queue (both behind patched()).
      { request: { callbackUrl: 'https://payouts.example.com/hooks/payments' }, history: 'callback-and-cost-queues' },
    );
    assert.deepEqual(fake.callbacks, [outcome]);
    assert.ok(state.timeline.some((e) => e.event === 'outcome callback delivered'));
  });

  it('a callback the worker refuses to send is its own event, tried once, and the payment still confirms', async () => {
    const fake = new FakeDfns();
    const why = 'callback URL is a loopback address, which callbacks may not reach';
    fake.onCallback = () => ApplicationFailure.nonRetryable(why, 'CallbackBlocked');
    const { outcome, state } = await scenario(
      'callback-blocked',
      fake,
      async (h, input) => {
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed', txHash: TX }));
      },
      { request: { callbackUrl: 'https://127.0.0.1/admin/reset' }, clientId: 'acme', history: 'callback-blocked' },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.count('sendOutcomeCallback'), 1);
    assert.deepEqual(
      fake.callbackInputs.map(({ url, clientId }) => ({ url, clientId })),
      [{ url: 'https://127.0.0.1/admin/reset', clientId: 'acme' }],
    );
    const events = state.timeline.filter((e) => e.event.startsWith('outcome callback'));
    assert.deepEqual(
      events.map((e) => ({ event: e.event, note: e.note, applied: e.applied })),
      [{ event: 'outcome callback blocked', note: why, applied: false }],
    );
  });

  it('a callback that fails otherwise is recorded as failed, and the payment still confirms', async () => {
    const fake = new FakeDfns();
    fake.onCallback = () => ApplicationFailure.nonRetryable('no signing secret', 'CallbackNotConfigured');
    const { outcome, state } = await scenario(
      'callback-not-configured',
      fake,
      async (h, input) => {
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed', txHash: TX }));
      },
      { request: { callbackUrl: 'https://payouts.example.com/hooks/payments' } },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.deepEqual(
      fake.callbackInputs.map((input) => input.clientId),
      [undefined],
    );
    const events = state.timeline.filter((e) => e.event.startsWith('outcome callback')).map((e) => e.event);
    assert.deepEqual(events, ['outcome callback failed']);
  });

  it('one paymentUpdate signal carries approval and transfer facts; a malformed one is recorded with its fields', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-9', status: 'AwaitingApproval' });
    const { outcome, state } = await scenario(
      'one-signal',
      fake,
      async (h, input) => {
        await waitForState(h, (s) => s.approval !== undefined);
        await h.signal(paymentUpdateSignal, fake.decide('ap-9', { status: 'Approved', decidedBy: 'us-alice' }));
        await h.signal(paymentUpdateSignal, { kind: 'refund', transferId: 'xfr-1' } as never);
        const bogus = { ...fake.set(a1(input), { status: 'Executing' }, 'wallet.transfer.test'), status: 'Bogus' };
        await h.signal(paymentUpdateSignal, bogus as never);
        // An old bridge replica still sending the superseded signal during a rolling deploy moves it on too.
        const broadcasted = fake.set(a1(input), { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted');
        await h.signal(legacyTransferUpdateSignal, withoutKind(broadcasted));
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
      },
      { history: 'payment-update-signal' },
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.txHash, TX);
    assert.deepEqual(state.approval && { status: state.approval.status, decidedBy: state.approval.decidedBy }, {
      status: 'Approved',
      decidedBy: 'us-alice',
    });
    assert.deepEqual(applied(state).slice(-2), ['webhook:Broadcasted', 'webhook:Confirmed']);
    const malformed = state.timeline
      .filter((e) => e.event.startsWith('malformed'))
      .map((e) => `${e.event}: ${e.note ?? ''}`);
    assert.equal(malformed.length, 2, malformed.join('\n'));
    assert.match(malformed[0]!, /^malformed refund update: kind: /);
    assert.match(malformed[1]!, /^malformed transfer update: status: /);
    assert.ok(state.timeline.filter((e) => e.event.startsWith('malformed')).every((e) => !e.applied));
  });
});
