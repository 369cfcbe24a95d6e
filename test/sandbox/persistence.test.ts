import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/src/sandbox';
import { clientFor, sendNative, startReceiver, tempDir, waitFor, waitForStatus } from './helpers';

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
        'authToken',
        'baseUrl',
        'credId',
        'erc20',
        'network',
        'orgId',
        'privateKey',
        'userId',
        'walletAddress',
        'walletId',
        'webhookId',
        'webhookSecret',
      ]);
      assert.equal(written.baseUrl, sandbox.url);
      assert.equal(written.network, 'EthereumSepolia');
      assert.deepEqual(written.erc20, { contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', symbol: 'USDC', decimals: 6 });
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
      const webhook = await dfns.webhooks.createWebhook({ body: { url: flaky.url, events: ['wallet.transfer.requested'] } });
      await sendNative(dfns, first.bootstrap.walletId, '1');
      await waitFor(async () => {
        const events = await dfns.webhooks.listWebhookEvents({ webhookId: webhook.id });
        return events.items.length === 1 ? true : undefined;
      }, 5000, 'first attempt recorded');
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
