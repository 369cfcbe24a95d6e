import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDfnsActivities } from '../../activities/dfns-activities';
import { sandboxPayers } from '../support/sandbox-payers';
import { createDfnsClient } from '../../src/dfns/dfns-client';
import { SERVICE_ACCOUNT_OPERATIONS } from '../../src/dfns/service-account-permissions';
import { setUpServiceAccount } from '../../src/dfns/service-account-setup';
import { RECIPIENT, startTestSandbox, type TestSandbox } from '../sandbox/helpers';

describe('setting up the payment service account on a Dfns org (the sandbox)', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(async () => t?.close());

  it('creates the role, the account and the assignment; the account can pay and can do nothing else', async () => {
    const setup = await setUpServiceAccount(t.dfns, {
      baseUrl: t.bootstrap.baseUrl,
      orgId: t.bootstrap.orgId,
      name: 'payments',
    });
    const grants = (await (await fetch(`${t.sandbox.url}/_sandbox/permission-grants`)).json()) as Record<
      string,
      string[]
    >;
    assert.deepEqual([...(grants[setup.userId] ?? [])].sort(), [...SERVICE_ACCOUNT_OPERATIONS].sort());

    const client = createDfnsClient(setup.credentials);
    const activities = createDfnsActivities({ dfns: client, payers: sandboxPayers(t.bootstrap) });
    const request = {
      idempotencyKey: 'setup-1',
      walletId: t.bootstrap.walletId,
      network: 'EthereumSepolia' as const,
      asset: { kind: 'Native' as const },
      to: RECIPIENT,
      amount: '1000',
    };
    const created = await activities.submitTransfer({ request, externalId: 'payment:setup-1:a1' });
    assert.equal(created.externalId, 'payment:setup-1:a1');
    await assert.rejects(
      client.policies.createPolicy({
        body: {
          name: 'x',
          activityKind: 'Wallets:Sign',
          rule: { kind: 'AlwaysTrigger', configuration: {} },
          action: { kind: 'Block' },
        },
      }),
      /missing permission Policies:Create/,
    );
    const read = await activities.getTransfer({ walletId: t.bootstrap.walletId, transferId: created.transferId });
    assert.equal(read.transferId, created.transferId, 'reads are in the set');
  });
});
