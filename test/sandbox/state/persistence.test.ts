import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox } from '../../../sandbox/src/sandbox';
import {
  admin,
  approverClient,
  clientFor,
  rawCall,
  sendNative,
  signedCall,
  startReceiver,
  tempDir,
  waitFor,
  waitForStatus,
} from '../helpers';

describe('bootstrap and persistence', () => {
  it('writes the credentials file with mode 0600 and the exported shape', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const credentialsFile = join(tmp.dir, 'nested', 'dfns-sandbox.json');
    const sandbox = await startSandbox({ port: 0, credentialsFile, webhookUrl: receiver.url });
    try {
      assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
      const text = await readFile(credentialsFile, 'utf8');
      assert.equal(text, JSON.stringify(sandbox.bootstrap, null, 2));
      const written = JSON.parse(text);
      assert.deepEqual(Object.keys(written).sort(), [
        'approvers',
        'authToken',
        'baseUrl',
        'credId',
        'erc20',
        'feeSponsors',
        'network',
        'orgId',
        'privateKey',
        'userId',
        'walletAddress',
        'walletId',
        'wallets',
        'webhookId',
        'webhookSecret',
      ]);
      assert.equal(written.baseUrl, sandbox.url);
      assert.equal(written.network, 'EthereumSepolia');
      assert.deepEqual(written.erc20, {
        contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238',
        symbol: 'USDC',
        decimals: 6,
      });
      assert.match(written.privateKey, /^-----BEGIN PRIVATE KEY-----/);
      assert.match(written.walletAddress, /^0x[0-9a-fA-F]{40}$/);
      const dfns = clientFor(sandbox.bootstrap);
      const webhook = await dfns.webhooks.getWebhook({ webhookId: written.webhookId });
      assert.deepEqual(webhook.events, ['*']);
      assert.equal(webhook.url, receiver.url);
    } finally {
      await sandbox.close();
      await receiver.close();
      await tmp.remove();
    }
  });

  it('survives a restart: same credentials, transfer kept and carried on to Confirmed', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const stateFile = join(tmp.dir, 'state.json');
    const options = { port: 0, stateFile, webhookUrl: receiver.url, timeScale: 10 };
    try {
      const first = await startSandbox(options);
      const dfns = clientFor(first.bootstrap);
      const created = await sendNative(dfns, first.bootstrap.walletId, '42', 'restart-1');
      await first.close();
      assert.equal((await stat(stateFile)).mode & 0o777, 0o600);
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      const record = saved.transfers.find((r: { transfer: { id: string } }) => r.transfer.id === created.id);
      assert.notEqual(record.transfer.status, 'Confirmed', 'closed mid-flight');
      assert.equal(typeof record.nextStepAt, 'number', 'the next chain step is persisted as a due time');

      const moved = await startReceiver();
      const second = await startSandbox({ ...options, webhookUrl: moved.url });
      try {
        const { baseUrl: _firstBaseUrl, ...before } = first.bootstrap;
        const { baseUrl: _secondBaseUrl, ...afterRestart } = second.bootstrap;
        assert.deepEqual(afterRestart, before);
        const again = clientFor(second.bootstrap);
        const webhook = await again.webhooks.getWebhook({ webhookId: second.bootstrap.webhookId });
        assert.equal(webhook.url, moved.url, 'bootstrap webhook follows the new URL');

        // A signed call proves the same key and credential are still registered.
        const replay = await sendNative(again, second.bootstrap.walletId, '42', 'restart-1');
        assert.equal(replay.id, created.id);
        const confirmed = await waitForStatus(again, second.bootstrap.walletId, created.id, 'Confirmed', 8000);
        assert.match(confirmed.txHash ?? '', /^0x[0-9a-f]{64}$/);
        const confirmedEvent = () => moved.requests.some((r) => r.json.kind === 'wallet.transfer.confirmed');
        await waitFor(() => (confirmedEvent() ? true : undefined), 5000, 'confirmed webhook');
      } finally {
        await second.close();
        await moved.close();
      }
    } finally {
      await receiver.close();
      await tmp.remove();
    }
  });

  it('resumes a pending webhook retry after a restart', async () => {
    const tmp = await tempDir();
    const bridge = await startReceiver();
    const flaky = await startReceiver((index) => (index === 0 ? 500 : 200));
    const stateFile = join(tmp.dir, 'state.json');
    const options = { port: 0, stateFile, webhookUrl: bridge.url, webhookRetryDelaysMs: [300, 300, 300, 300] };
    try {
      const first = await startSandbox(options);
      const dfns = clientFor(first.bootstrap);
      const webhook = await dfns.webhooks.createWebhook({
        body: { url: flaky.url, events: ['wallet.transfer.requested'] },
      });
      await sendNative(dfns, first.bootstrap.walletId, '1');
      await waitFor(
        async () => {
          const events = await dfns.webhooks.listWebhookEvents({ webhookId: webhook.id });
          return events.items.length === 1 ? true : undefined;
        },
        5000,
        'first attempt recorded',
      );
      await first.close();
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      const retries = saved.deliveries.filter((job: { webhookId: string }) => job.webhookId === webhook.id);
      assert.equal(retries.length, 1, 'the retry is persisted');
      assert.equal(retries[0].attempt, 2);

      const second = await startSandbox(options);
      try {
        const twoAttempts = () => (flaky.requests.length >= 2 ? flaky.requests : undefined);
        const [attempt1, attempt2] = await waitFor(twoAttempts, 5000, 'retry after restart');
        assert.equal(attempt2?.json.deliveryAttempt, 2);
        assert.equal(attempt2?.json.retryOf, attempt1?.json.id);
      } finally {
        await second.close();
      }
    } finally {
      await bridge.close();
      await flaky.close();
      await tmp.remove();
    }
  });
});

describe('v2 persistence', () => {
  it('migrates a v1 state file: same identities, plus approvers, the BaseSepolia wallet and the pool wallets', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const stateFile = join(tmp.dir, 'state.json');
    const options = { port: 0, stateFile, webhookUrl: receiver.url, timeScale: 1000 };
    try {
      const first = await startSandbox(options);
      await first.close();
      // Strip everything v2 added, leaving the v1 shape.
      const v2 = JSON.parse(await readFile(stateFile, 'utf8'));
      const approverIds = new Set(v2.bootstrap.approvers.map((a: { userId: string }) => a.userId));
      const v1 = {
        ...v2,
        version: 1,
        users: v2.users.filter((u: { id: string }) => !approverIds.has(u.id)),
        credentials: v2.credentials.filter((c: { userId: string }) => !approverIds.has(c.userId)),
        tokens: v2.tokens.filter((x: { userId: string }) => !approverIds.has(x.userId)),
        wallets: v2.wallets
          .filter((w: { id: string }) => w.id === v2.bootstrap.walletId)
          .map(({ nonce: _nonce, ...wallet }: { nonce: number }) => wallet),
        bootstrap: { ...v2.bootstrap, approvers: undefined, walletIds: undefined },
        transactions: undefined,
        policies: undefined,
        approvals: undefined,
        prices: undefined,
        faults: undefined,
      };
      await writeFile(stateFile, JSON.stringify(v1));

      const second = await startSandbox(options);
      try {
        assert.equal(second.bootstrap.walletId, first.bootstrap.walletId);
        assert.equal(second.bootstrap.authToken, first.bootstrap.authToken);
        assert.deepEqual(
          second.bootstrap.approvers.map((a) => a.name),
          ['approver-1', 'approver-2', 'approver-3'],
        );
        assert.deepEqual(
          second.bootstrap.wallets.map((w) => [w.network, w.emitsConfirmed, w.role]),
          [
            ['EthereumSepolia', true, undefined],
            ['BaseSepolia', false, undefined],
            ['TronNile', false, undefined],
            ['SolanaDevnet', true, undefined],
            ['BitcoinSignet', true, undefined],
            ['EthereumSepolia', true, 'fee-sponsor'],
            ['EthereumSepolia', true, 'gasless'],
            ['EthereumSepolia', true, 'pool'],
            ['EthereumSepolia', true, 'pool'],
            ['SolanaDevnet', true, 'fee-sponsor'],
          ],
        );
        assert.deepEqual(
          second.bootstrap.feeSponsors.map((s) => s.network),
          ['EthereumSepolia', 'SolanaDevnet'],
        );
        assert.equal(second.bootstrap.wallets[0]?.walletId, first.bootstrap.walletId);
        assert.notEqual(second.bootstrap.wallets[1]?.erc20?.contract, second.bootstrap.erc20.contract);
        assert.equal(second.bootstrap.wallets[1]?.erc20?.symbol, 'USDC');
        const approver = approverClient(second.bootstrap, 0);
        assert.equal(
          (await approver.wallets.getWallet({ walletId: second.bootstrap.walletId })).id,
          second.bootstrap.walletId,
        );
      } finally {
        await second.close();
      }
      assert.equal(JSON.parse(await readFile(stateFile, 'utf8')).version, 2);
    } finally {
      await receiver.close();
      await tmp.remove();
    }
  });

  it('keeps policies, a pending approval, tags, prices and faults across a restart; then approves it', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const stateFile = join(tmp.dir, 'state.json');
    const options = { port: 0, stateFile, webhookUrl: receiver.url, timeScale: 1000 };
    try {
      const first = await startSandbox(options);
      const dfns = clientFor(first.bootstrap);
      const approverId = first.bootstrap.approvers[1]?.userId ?? '';
      const policy = await dfns.policies.createPolicy({
        body: {
          name: 'tagged wallets need approval',
          activityKind: 'Wallets:Sign',
          rule: { kind: 'AlwaysTrigger' },
          action: {
            kind: 'RequestApproval',
            approvalGroups: [{ quorum: 1, approvers: { userId: { in: [approverId] } } }],
          },
          filters: { walletTags: { hasAll: ['payouts'] } },
        },
      });
      await dfns.wallets.tagWallet({ walletId: first.bootstrap.walletId, body: { tags: ['payouts'] } });
      await admin(first.url, 'POST', '/prices', { USDC: 0.99 });
      await admin(first.url, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1 });
      const created = await sendNative(dfns, first.bootstrap.walletId, '42');
      assert.ok(created.approvalId);
      await first.close();

      const second = await startSandbox(options);
      try {
        const again = clientFor(second.bootstrap);
        assert.equal((await again.policies.getPolicy({ policyId: policy.id })).status, 'Active');
        assert.deepEqual((await again.wallets.getWallet({ walletId: second.bootstrap.walletId })).tags, ['payouts']);
        assert.equal((await admin(second.url, 'GET', '/faults')).body.faults.chain.length, 1);
        const approved = await approverClient(second.bootstrap, 1).policies.createApprovalDecision({
          approvalId: created.approvalId ?? '',
          body: { value: 'Approved' },
        });
        assert.equal(approved.status, 'Approved');
        const failed = await waitForStatus(again, second.bootstrap.walletId, created.id, 'Failed');
        assert.equal(failed.reason, 'Transaction reverted on chain', 'the persisted chain fault still applied');
        const saved = JSON.parse(await readFile(stateFile, 'utf8'));
        assert.equal(saved.prices.USDC, '0.99');
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      await tmp.remove();
    }
  });

  it('resumes a pending approval expiry after a restart', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const stateFile = join(tmp.dir, 'state.json');
    const options = {
      port: 0,
      stateFile,
      webhookUrl: receiver.url,
      timeScale: 10,
      autoRejectTimeoutUnit: 'seconds' as const,
    };
    try {
      const first = await startSandbox(options);
      const dfns = clientFor(first.bootstrap);
      await dfns.policies.createPolicy({
        body: {
          name: 'expires in 3 s (300 ms scaled)',
          activityKind: 'Wallets:Sign',
          rule: { kind: 'AlwaysTrigger' },
          action: { kind: 'RequestApproval', approvalGroups: [{ quorum: 1, approvers: {} }], autoRejectTimeout: 3 },
        },
      });
      const created = await sendNative(dfns, first.bootstrap.walletId, '1');
      await first.close();
      const second = await startSandbox(options);
      try {
        const rejected = await waitForStatus(
          clientFor(second.bootstrap),
          second.bootstrap.walletId,
          created.id,
          'Rejected',
          3000,
        );
        assert.equal(rejected.reason, 'Approval expired');
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      await tmp.remove();
    }
  });
  it('a pending speed-up replacement survives a restart and is what confirms', async () => {
    const tmp = await tempDir();
    const receiver = await startReceiver();
    const stateFile = join(tmp.dir, 'state.json');
    // 600 ms blocks: the replacement is still pending when the first process stops.
    const options = { port: 0, stateFile, webhookUrl: receiver.url, timeScale: 1000, blockTimeMs: 600_000 };
    try {
      const first = await startSandbox(options);
      const walletId = first.bootstrap.walletId;
      await admin(first.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 });
      const created = await sendNative(clientFor(first.bootstrap), walletId, '9');
      await waitForStatus(clientFor(first.bootstrap), walletId, created.id, 'Broadcasted');
      const sped = await signedCall(first.bootstrap, 'POST', `/wallets/${walletId}/transfers/${created.id}/speed-up`);
      assert.equal(sped.status, 200);
      const pending = await clientFor(first.bootstrap).wallets.getTransfer({ walletId, transferId: created.id });
      assert.equal(pending.status, 'Broadcasted', 'still pending when the process stops');
      await first.close();

      const second = await startSandbox(options);
      try {
        const confirmed = await waitForStatus(clientFor(second.bootstrap), walletId, created.id, 'Confirmed');
        assert.equal(confirmed.txHash, sped.body.txHash);
        const mined = await rawCall(second.bootstrap, 'GET', `/wallets/${walletId}/transactions/${sped.body.id}`);
        assert.equal(mined.body.status, 'Confirmed');
        assert.deepEqual(mined.body.requestBody, sped.body.requestBody);
        assert.deepEqual(mined.body.details, sped.body.details);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      await tmp.remove();
    }
  });
});
