// Tests src/temporal/payment-signaler.ts, the bridge's way into Temporal, against a fake Temporal client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ApprovalUpdate } from '../../src/contracts/approval-update';
import type { TransferUpdate } from '../../src/contracts/transfer-update';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';

const TRANSFER: TransferUpdate = {
  kind: 'transfer',
  source: 'webhook',
  externalId: 'payment:order-42:a1',
  transferId: 'xfr-1',
  status: 'Broadcasted',
  eventKind: 'wallet.transfer.broadcasted',
  eventTime: '2025-01-01T00:00:00.000Z',
};
const APPROVAL: ApprovalUpdate = {
  kind: 'approval',
  source: 'webhook',
  approvalId: 'ap-1',
  status: 'Approved',
  eventKind: 'policy.approval.resolved',
  eventTime: '2025-01-01T00:00:00.000Z',
};

interface FakeTemporal {
  client: Client;
  signals: { workflowId: string; name: string; args: unknown[] }[];
  queries: { query: string; pageSize?: number }[];
  deadlines: number[];
  describes: string[];
}

/** A Temporal client with just what the signaler uses; `signalError`, `describeError` and `listed` script it. */
function fakeTemporal(
  options: { signalError?: Error; describeError?: Error; listed?: string[]; listError?: Error } = {},
): FakeTemporal {
  const fake: Omit<FakeTemporal, 'client'> = { signals: [], queries: [], deadlines: [], describes: [] };
  const client = {
    connection: {
      withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
        fake.deadlines.push(deadline);
        return fn();
      },
    },
    workflow: {
      getHandle(workflowId: string) {
        return {
          signal(definition: { name: string }, ...args: unknown[]): Promise<void> {
            fake.signals.push({ workflowId, name: definition.name, args });
            return options.signalError ? Promise.reject(options.signalError) : Promise.resolve();
          },
          describe(): Promise<{ workflowId: string }> {
            fake.describes.push(workflowId);
            return options.describeError ? Promise.reject(options.describeError) : Promise.resolve({ workflowId });
          },
        };
      },
      list(request: { query: string; pageSize?: number }) {
        fake.queries.push(request);
        const listed = options.listed ?? [];
        const listError = options.listError;
        return (async function* () {
          await Promise.resolve(); // the first page arrives
          if (listError) throw listError;
          for (const workflowId of listed) yield { workflowId };
        })();
      },
    },
  };
  return { ...fake, client: client as unknown as Client };
}

describe('createTemporalSignaler: signal', () => {
  it('sends a transfer update as the paymentUpdate signal, within the deadline', async () => {
    const temporal = fakeTemporal();
    const before = Date.now();
    const result = await createTemporalSignaler(temporal.client, 2_000).signal('payment:order-42', TRANSFER);
    assert.equal(result, 'delivered');
    assert.deepEqual(temporal.signals, [{ workflowId: 'payment:order-42', name: 'paymentUpdate', args: [TRANSFER] }]);
    const [deadline] = temporal.deadlines;
    assert.ok(deadline !== undefined && deadline >= before + 2_000 && deadline <= Date.now() + 2_000, String(deadline));
  });

  it('sends an approval update as the same paymentUpdate signal', async () => {
    const temporal = fakeTemporal();
    assert.equal(await createTemporalSignaler(temporal.client).signal('payment:order-42', APPROVAL), 'delivered');
    assert.deepEqual(temporal.signals, [{ workflowId: 'payment:order-42', name: 'paymentUpdate', args: [APPROVAL] }]);
  });

  const notFound = (id: string) => new WorkflowNotFoundError('workflow not found', id, undefined);

  it('answers "closed" when the payment exists but is no longer running', async () => {
    const temporal = fakeTemporal({ signalError: notFound('payment:gone') });
    assert.equal(await createTemporalSignaler(temporal.client).signal('payment:gone', APPROVAL), 'closed');
    assert.deepEqual(temporal.describes, ['payment:gone'], 'one describe tells closed from unknown');
    assert.equal(temporal.deadlines.length, 2, 'the describe has the same deadline');
  });

  it('answers "unknown" when Temporal holds no payment with the id', async () => {
    const temporal = fakeTemporal({ signalError: notFound('payment:nope'), describeError: notFound('payment:nope') });
    assert.equal(await createTemporalSignaler(temporal.client).signal('payment:nope', TRANSFER), 'unknown');
  });

  it('describes nothing when the signal is delivered', async () => {
    const temporal = fakeTemporal();
    await createTemporalSignaler(temporal.client).signal('payment:order-42', TRANSFER);
    assert.deepEqual(temporal.describes, []);
  });

  it('throws when the describe that follows a not-found fails otherwise, so the bridge answers 503', async () => {
    const temporal = fakeTemporal({ signalError: notFound('payment:x'), describeError: new Error('14 UNAVAILABLE') });
    await assert.rejects(createTemporalSignaler(temporal.client).signal('payment:x', TRANSFER), /14 UNAVAILABLE/);
  });

  it('throws anything else, so the bridge answers 503', async () => {
    const temporal = fakeTemporal({ signalError: new Error('14 UNAVAILABLE') });
    await assert.rejects(
      createTemporalSignaler(temporal.client).signal('payment:order-42', TRANSFER),
      /14 UNAVAILABLE/,
    );
  });
});

describe('createTemporalSignaler: findPayment', () => {
  it('finds the payment holding a transfer id through the DfnsTransferId search attribute', async () => {
    const temporal = fakeTemporal({ listed: ['payment:order-42'] });
    assert.equal(
      await createTemporalSignaler(temporal.client).findPayment({ transferId: 'xfr-1' }),
      'payment:order-42',
    );
    assert.deepEqual(temporal.queries, [
      { query: "WorkflowType = 'paymentWorkflow' AND DfnsTransferId = 'xfr-1'", pageSize: 1 },
    ]);
    assert.equal(temporal.deadlines.length, 1);
  });

  it('finds the payment holding an approval id through the DfnsApprovalId search attribute', async () => {
    const temporal = fakeTemporal({ listed: ['payment:order-42', 'payment:other'] });
    assert.equal(await createTemporalSignaler(temporal.client).findPayment({ approvalId: 'ap-1' }), 'payment:order-42');
    assert.deepEqual(
      temporal.queries.map((q) => q.query),
      ["WorkflowType = 'paymentWorkflow' AND DfnsApprovalId = 'ap-1'"],
    );
  });

  it('prefers the transfer id when both are given', async () => {
    const temporal = fakeTemporal({ listed: ['payment:order-42'] });
    await createTemporalSignaler(temporal.client).findPayment({ transferId: 'xfr-1', approvalId: 'ap-1' });
    assert.match(temporal.queries[0]?.query ?? '', /DfnsTransferId = 'xfr-1'$/);
  });

  it('answers undefined when no payment matches', async () => {
    const temporal = fakeTemporal({ listed: [] });
    assert.equal(await createTemporalSignaler(temporal.client).findPayment({ approvalId: 'ap-unknown' }), undefined);
  });

  it('answers undefined without asking Temporal when there is nothing to look up', async () => {
    const temporal = fakeTemporal({ listed: ['payment:order-42'] });
    assert.equal(await createTemporalSignaler(temporal.client).findPayment({}), undefined);
    assert.deepEqual(temporal.queries, []);
  });

  it('strips quotes and backslashes from the id, so an id cannot change the query', async () => {
    const temporal = fakeTemporal();
    await createTemporalSignaler(temporal.client).findPayment({ approvalId: "ap-1' OR WorkflowType != 'x\\" });
    assert.deepEqual(
      temporal.queries.map((q) => q.query),
      ["WorkflowType = 'paymentWorkflow' AND DfnsApprovalId = 'ap-1 OR WorkflowType != x'"],
    );
  });

  it('throws when the visibility query fails, so the bridge answers 503', async () => {
    const temporal = fakeTemporal({ listError: new Error('4 DEADLINE_EXCEEDED') });
    await assert.rejects(
      createTemporalSignaler(temporal.client).findPayment({ approvalId: 'ap-1' }),
      /DEADLINE_EXCEEDED/,
    );
  });
});
