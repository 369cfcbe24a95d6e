import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  OperatorActionRefusedError,
  PaymentNotFoundError,
  PaymentValidationError,
} from '../../src/client/payment-errors';
import { parsePaymentRequest, PaymentClient } from '../../src/client/payment-client';
import { PAYMENT_BASELINE, type OperatorResult } from '../../src/contracts/payment-messages';
import { omit } from '../contracts/omit';

const valid = {
  idempotencyKey: 'order-42',
  walletId: 'wa-1',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000',
};

/** Asserts parsePaymentRequest refuses input with a PaymentValidationError and returns its issues' fields. */
function refusedFields(input: unknown): string[] {
  let fields: string[] = [];
  assert.throws(
    () => parsePaymentRequest(input),
    (error: unknown) => {
      assert.ok(error instanceof PaymentValidationError, `expected PaymentValidationError, got ${String(error)}`);
      assert.equal(error.name, 'PaymentValidationError');
      assert.ok(error.issues.length > 0);
      for (const issue of error.issues)
        assert.ok(error.message.includes(`${issue.field} ${issue.message}`), error.message);
      fields = error.issues.map((issue) => issue.field);
      return true;
    },
  );
  return fields;
}

describe('parsePaymentRequest', () => {
  it('returns a valid request', () => {
    assert.deepEqual(parsePaymentRequest(valid), valid);
  });

  it('names the amount field', () => {
    assert.deepEqual(refusedFields({ ...valid, amount: '1.5' }), ['amount']);
  });

  it('names the recipient field for a bad checksum', () => {
    assert.deepEqual(refusedFields({ ...valid, to: '0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359' }), ['to']);
  });

  it('names the nested asset.contract field', () => {
    assert.deepEqual(refusedFields({ ...valid, asset: { kind: 'Erc20', contract: '0x12' } }), ['asset.contract']);
  });

  it('names a missing idempotency key', () => {
    const rest = omit(valid, 'idempotencyKey');
    assert.deepEqual(refusedFields(rest), ['idempotencyKey']);
  });

  it('names every bad field at once', () => {
    assert.deepEqual(refusedFields({ ...valid, idempotencyKey: 'a:b', network: 'Mars', amount: '0' }).sort(), [
      'amount',
      'idempotencyKey',
      'network',
    ]);
  });

  it('refuses an unknown extra field', () => {
    assert.deepEqual(refusedFields({ ...valid, priority: 'high' }), ['(request)']);
  });

  it('refuses input that is not an object', () => {
    for (const input of [undefined, null, 'order-42', 42, []])
      assert.deepEqual(refusedFields(input), ['(request)'], JSON.stringify(input));
  });
});

describe('parsePaymentRequest: callbackUrl', () => {
  it('returns a request with an https callbackUrl', () => {
    const request = { ...valid, callbackUrl: 'https://payouts.example.com/outcome' };
    assert.deepEqual(parsePaymentRequest(request), request);
  });

  it('names callbackUrl when it is not an http(s) URL', () => {
    assert.deepEqual(refusedFields({ ...valid, callbackUrl: 'javascript:alert(1)' }), ['callbackUrl']);
  });
});

interface FakeTemporal {
  client: Client;
  updates: { workflowId: string; name: string; args: unknown[] }[];
  queries: { query: string; pageSize?: number }[];
}

interface FakeExecution {
  workflowId: string;
  status?: string;
  startTime: Date;
  closeTime?: Date;
  running: boolean;
}

/** A Temporal client with just what the operator actions and list use; `updateAnswer` scripts the Update's answer. */
function fakeTemporal(
  updateAnswer: OperatorResult | Error,
  executions: FakeExecution[] = [],
  closedStatus?: string,
): FakeTemporal {
  const updates: FakeTemporal['updates'] = [];
  const queries: FakeTemporal['queries'] = [];
  const client = {
    workflow: {
      getHandle(workflowId: string) {
        return {
          // As the SDK does: a refusal by the workflow is the accepted handle's result; any other failure the start's.
          startUpdate(
            definition: { name: string },
            options: { args: unknown[]; waitForStage: WorkflowUpdateStage },
          ): Promise<{ updateId: string; result(): Promise<OperatorResult> }> {
            updates.push({ workflowId, name: definition.name, args: options.args });
            assert.equal(options.waitForStage, WorkflowUpdateStage.ACCEPTED);
            if (updateAnswer instanceof Error && !(updateAnswer instanceof WorkflowUpdateFailedError))
              return Promise.reject(updateAnswer);
            return Promise.resolve({
              updateId: 'update-1',
              result: () =>
                updateAnswer instanceof Error ? Promise.reject(updateAnswer) : Promise.resolve(updateAnswer),
            });
          },
          describe() {
            // Temporal answers updates to a closed workflow with "not found"; describe still finds it.
            if (closedStatus === undefined)
              return Promise.reject(new WorkflowNotFoundError('not found', workflowId, undefined));
            return Promise.resolve({
              status: { name: 'COMPLETED' },
              typedSearchAttributes: { get: () => closedStatus },
            });
          },
        };
      },
      list(request: { query: string; pageSize?: number }) {
        queries.push(request);
        return (async function* () {
          await Promise.resolve(); // the first page arrives
          for (const e of executions) {
            yield {
              workflowId: e.workflowId,
              startTime: e.startTime,
              closeTime: e.closeTime,
              status: { name: e.running ? 'RUNNING' : 'COMPLETED' },
              typedSearchAttributes: {
                get: (key: { name: string }) => (key.name === 'PaymentStatus' ? e.status : undefined),
              },
            };
          }
        })();
      },
    },
  };
  return { client: client as unknown as Client, updates, queries };
}

const OPTIONS = { taskQueue: 'payments' };
const DONE: OperatorResult = { status: 'Cancelled', message: 'cancelled by alice: duplicate' };

describe('PaymentClient operator actions', () => {
  const actions = [
    ['cancel', (c: PaymentClient, id: string, r?: { operator?: string; reason?: string }) => c.cancel(id, r)],
    ['retry', (c: PaymentClient, id: string, r?: { operator?: string; reason?: string }) => c.retry(id, r)],
    ['speedUp', (c: PaymentClient, id: string, r?: { operator?: string; reason?: string }) => c.speedUp(id, r)],
  ] as const;

  for (const [name, act] of actions) {
    it(`${name} sends the "${name}" update with the operator's request and returns the workflow's answer`, async () => {
      const temporal = fakeTemporal(DONE);
      const result = await act(new PaymentClient(temporal.client, OPTIONS), 'payment:order-42', {
        operator: 'alice',
        reason: 'duplicate',
      });
      assert.deepEqual(result, DONE);
      assert.deepEqual(temporal.updates, [
        { workflowId: 'payment:order-42', name, args: [{ operator: 'alice', reason: 'duplicate' }] },
      ]);
    });

    it(`${name} sends an empty request when none is given`, async () => {
      const temporal = fakeTemporal(DONE);
      await act(new PaymentClient(temporal.client, OPTIONS), 'payment:order-42');
      assert.deepEqual(temporal.updates[0]?.args, [{}]);
    });

    it(`${name} turns a refusal by the workflow into OperatorActionRefusedError carrying its reason`, async () => {
      const refusal = ApplicationFailure.nonRetryable(
        'cannot cancel: the transfer is already broadcast (0xabc); use speedUp or wait',
        'OperatorActionRefused',
      );
      const temporal = fakeTemporal(new WorkflowUpdateFailedError('Workflow Update failed', refusal));
      await assert.rejects(act(new PaymentClient(temporal.client, OPTIONS), 'payment:order-42'), (error: unknown) => {
        assert.ok(error instanceof OperatorActionRefusedError, String(error));
        assert.equal(error.name, 'OperatorActionRefusedError');
        assert.equal(error.paymentId, 'payment:order-42');
        assert.equal(
          error.message,
          'payment:order-42: cannot cancel: the transfer is already broadcast (0xabc); use speedUp or wait',
        );
        return true;
      });
    });

    it(`${name} falls back to the update error's own message when it has no cause`, async () => {
      const temporal = fakeTemporal(new WorkflowUpdateFailedError('Workflow Update failed', undefined));
      await assert.rejects(act(new PaymentClient(temporal.client, OPTIONS), 'payment:order-42'), {
        name: 'OperatorActionRefusedError',
        message: 'payment:order-42: Workflow Update failed',
      });
    });

    it(`${name} turns an unknown payment into PaymentNotFoundError`, async () => {
      const temporal = fakeTemporal(new WorkflowNotFoundError('not found', 'payment:nope', undefined));
      await assert.rejects(act(new PaymentClient(temporal.client, OPTIONS), 'payment:nope'), (error: unknown) => {
        assert.ok(error instanceof PaymentNotFoundError, String(error));
        assert.match(error.message, /payment:nope/);
        return true;
      });
    });

    it(`${name} on a closed payment says it is closed and in which status`, async () => {
      const temporal = fakeTemporal(
        new WorkflowNotFoundError('workflow execution already completed', 'payment:done', undefined),
        [],
        'Confirmed',
      );
      await assert.rejects(act(new PaymentClient(temporal.client, OPTIONS), 'payment:done'), (error: unknown) => {
        assert.ok(error instanceof OperatorActionRefusedError, String(error));
        assert.match(error.message, /payment:done: the payment is closed \(Confirmed\)/);
        return true;
      });
    });

    it(`${name} passes any other failure through unchanged`, async () => {
      const failure = new Error('14 UNAVAILABLE: connect ECONNREFUSED');
      const temporal = fakeTemporal(failure);
      await assert.rejects(
        act(new PaymentClient(temporal.client, OPTIONS), 'payment:order-42'),
        (error: unknown) => error === failure,
      );
    });
  }
});

describe('PaymentClient.list', () => {
  const started = new Date('2025-01-01T00:00:00Z');
  const closed = new Date('2025-01-01T00:10:00Z');
  const executions: FakeExecution[] = [
    { workflowId: 'payment:b', status: 'AttemptFailed', startTime: started, running: true },
    { workflowId: 'payment:a', status: 'Confirmed', startTime: started, closeTime: closed, running: false },
    { workflowId: 'payment:c', startTime: started, running: true },
  ];

  it('lists payment workflows with their status, times and whether they run', async () => {
    const temporal = fakeTemporal(DONE, executions);
    const items = await new PaymentClient(temporal.client, OPTIONS).list();
    assert.deepEqual(items, [
      { paymentId: 'payment:b', status: 'AttemptFailed', startTime: started, running: true },
      { paymentId: 'payment:a', status: 'Confirmed', startTime: started, closeTime: closed, running: false },
      { paymentId: 'payment:c', startTime: started, running: true },
    ]);
    assert.deepEqual(temporal.queries, [{ query: "WorkflowType = 'paymentWorkflow'", pageSize: 50 }]);
  });

  it('filters by status and by the stuck flag', async () => {
    const temporal = fakeTemporal(DONE, executions);
    const client = new PaymentClient(temporal.client, OPTIONS);
    await client.list({ status: 'AttemptFailed' });
    await client.list({ stuck: true });
    await client.list({ status: 'Broadcasted', stuck: false });
    assert.deepEqual(
      temporal.queries.map((q) => q.query),
      [
        "WorkflowType = 'paymentWorkflow' AND PaymentStatus = 'AttemptFailed'",
        "WorkflowType = 'paymentWorkflow' AND PaymentStuck = true",
        "WorkflowType = 'paymentWorkflow' AND PaymentStatus = 'Broadcasted' AND PaymentStuck = false",
      ],
    );
  });

  it('stops at the limit, and never asks for pages larger than 1000', async () => {
    const temporal = fakeTemporal(DONE, executions);
    const client = new PaymentClient(temporal.client, OPTIONS);
    assert.deepEqual(
      (await client.list({ limit: 2 })).map((i) => i.paymentId),
      ['payment:b', 'payment:a'],
    );
    await client.list({ limit: 5000 });
    assert.deepEqual(
      temporal.queries.map((q) => q.pageSize),
      [2, 1000],
    );
  });
});

describe('PaymentClient for a client', () => {
  it("starts the client's payment: its id, input and PaymentClient attribute, as the API would", async () => {
    const starts: { type: string; options: Record<string, unknown> }[] = [];
    const temporal = {
      workflow: {
        start: (type: string, options: Record<string, unknown>) => {
          starts.push({ type, options });
          return Promise.resolve({});
        },
      },
    } as unknown as Client;
    const client = new PaymentClient(temporal, { ...OPTIONS, clientId: 'acme' });
    assert.equal(client.paymentId('order-42'), 'payment:acme:order-42');
    assert.deepEqual(await client.start(valid), { paymentId: 'payment:acme:order-42', created: true });
    const options = starts[0]?.options as { workflowId: string; args: unknown[]; typedSearchAttributes: unknown[] };
    assert.equal(options.workflowId, 'payment:acme:order-42');
    assert.deepEqual(options.args, [
      { paymentId: 'payment:acme:order-42', clientId: 'acme', request: valid, baseline: PAYMENT_BASELINE },
    ]);
    const attributes = options.typedSearchAttributes as { key: { name: string }; value: unknown }[];
    assert.equal(attributes.find((pair) => pair.key.name === 'PaymentClient')?.value, 'acme');
    // Without one, the payment belongs to no client (and pays from what is bound to none).
    const anonymous = new PaymentClient(temporal, OPTIONS);
    await anonymous.start({ ...valid, idempotencyKey: 'order-43' });
    const input = (starts[1]?.options as { args: { clientId?: string }[] }).args[0];
    assert.equal(starts[1]?.options.workflowId, 'payment:order-43');
    assert.equal(input?.clientId, undefined);
  });

  it("lists only the client's payments", async () => {
    const temporal = fakeTemporal(DONE, []);
    await new PaymentClient(temporal.client, { ...OPTIONS, clientId: 'acme' }).list({ status: 'Confirmed' });
    assert.deepEqual(
      temporal.queries.map((q) => q.query),
      ["WorkflowType = 'paymentWorkflow' AND PaymentClient = 'acme' AND PaymentStatus = 'Confirmed'"],
    );
  });
});
