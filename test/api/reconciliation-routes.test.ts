import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiApp } from '../../src/api/api-app';
import { clientBindings } from '../../src/clients/client-bindings';
import { parseClientsFile } from '../../src/clients/load-clients-file';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry, type ApiScope } from '../../src/api/api-keys';
import type { Finding } from '../../src/contracts/reconciliation-findings';
import type {
  AcknowledgeRequest,
  ReconciliationScope,
  ReconciliationState,
} from '../../src/contracts/reconciliation-messages';
import type { ExportQuery, ExportService } from '../../src/exports/temporal-exports';
import { createLogger } from '../../src/logger';
import type { ReconciliationService } from '../../src/reconciliation/temporal-reconciliations';
import { fakeBatchService } from '../support/fake-batch-service';
import { fakePaymentsBackend } from '../support/fake-payments-backend';

const WALLET_A = 'wa-acme-hot';
const WALLET_B = 'wa-globex-hot';
const SHARED = 'wa-shared';

const finding = (id: string, fields: Partial<Finding> = {}): Finding => ({
  id,
  kind: 'unmatched_transfer',
  walletId: SHARED,
  summary: id,
  detectedAt: '2026-01-01T00:00:00.000Z',
  run: 1,
  ...fields,
});

const stateOf = (scope: ReconciliationScope, findings: Finding[]): ReconciliationState => ({
  reconciliationId:
    scope.kind === 'wallet' ? `reconciliation:wallet:${scope.walletId}` : `reconciliation:pool:${scope.pool}`,
  scope,
  wallets: scope.kind === 'wallet' ? [scope.walletId] : [WALLET_A],
  checkpoints: {},
  book: { findings, acknowledgedOmitted: 0, openOmitted: {} },
  runs: [],
  runCount: 1,
  queued: 0,
});

/** A reconciliation service over fixed states, recording what it was asked. */
function fakeReconciliations() {
  const calls: string[] = [];
  const acknowledged: AcknowledgeRequest[] = [];
  const shared = stateOf({ kind: 'wallet', walletId: SHARED }, [
    finding('unmatched_transfer:xfr-1'),
    finding('outcome_mismatch:xfr-2:fee=1', { kind: 'outcome_mismatch', paymentId: 'payment:acme:p1' }),
    finding('duplicate_transfer:payment:globex:p9:xfr-3,xfr-4', {
      kind: 'duplicate_transfer',
      paymentId: 'payment:globex:p9',
    }),
  ]);
  const service: ReconciliationService = {
    view: (scope) => {
      calls.push(`view ${JSON.stringify(scope)}`);
      return Promise.resolve(scope.kind === 'wallet' && scope.walletId === SHARED ? shared : undefined);
    },
    run: (scope, request) => {
      calls.push(`run ${JSON.stringify(scope)} ${request.requestedBy} ${request.full ? 'full' : ''}`);
      return Promise.resolve({ run: 2, state: stateOf(scope, []), finished: false });
    },
    acknowledge: (_scope, request) => {
      acknowledged.push(request);
      if (request.findingId === 'unmatched_transfer:xfr-1' && acknowledged.length > 1)
        return Promise.resolve({ kind: 'refused', reason: 'already acknowledged by acme/x' });
      return Promise.resolve({
        kind: 'done',
        finding: {
          ...finding(request.findingId),
          acknowledged: { by: request.operator, reason: request.reason, at: 'now' },
        },
      });
    },
    list: () =>
      Promise.resolve([
        { reconciliationId: `reconciliation:wallet:${SHARED}`, wallets: [SHARED], openFindings: 3, running: true },
        { reconciliationId: `reconciliation:wallet:${WALLET_B}`, wallets: [WALLET_B], openFindings: 0, running: true },
      ]),
  };
  return { service, calls, acknowledged };
}

function harness(options: { reconciliations?: boolean; exports?: ExportService } = {}) {
  const key = (client: string, scopes: ApiScope[]) => mintApiKey(client, scopes);
  const operator = key('acme', ['reconciliations:read', 'reconciliations:operate', 'payments:read']);
  const reader = key('acme', ['reconciliations:read']);
  const payments = key('acme', ['payments:read', 'payments:operate']);
  const globex = key('globex', ['reconciliations:read', 'reconciliations:operate', 'payments:read']);
  const fake = fakeReconciliations();
  const pools: PoolDefinition[] = [
    {
      name: 'acme-hot',
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      wallets: [WALLET_A],
      lowBalanceThreshold: '1',
    },
  ];
  // The clients file: acme holds WALLET_A through its pool, globex WALLET_B; both may pay from SHARED.
  const clientsFile = {
    version: 1,
    clients: [
      { id: 'acme', wallets: [SHARED], pools: ['acme-hot'] },
      { id: 'globex', wallets: [WALLET_B, SHARED] },
    ],
  };
  const app = createApiApp({
    backend: fakePaymentsBackend().backend,
    batches: fakeBatchService().service,
    verifyKey: createApiKeyVerifier([operator, reader, payments, globex].map((k) => parseApiKeyEntry(k.entry))),
    rateLimitPerMinute: 1000,
    pools,
    ...(options.reconciliations === false ? {} : { reconciliations: fake.service }),
    ...(options.exports ? { exports: options.exports } : {}),
    clients: clientBindings(parseClientsFile(clientsFile, 'the test clients file', pools)),
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  const request = async (path: string, init: { key: string; method?: string; body?: unknown; accept?: string }) => {
    const response = await app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.key}`,
        ...(init.accept ? { accept: init.accept } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    const json =
      response.headers.get('content-type')?.includes('json') && text
        ? (JSON.parse(text) as Record<string, unknown>)
        : {};
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    request,
    fake,
    keys: { operator: operator.key, reader: reader.key, payments: payments.key, globex: globex.key },
  };
}

const path = (walletId: string) => `/v1/reconciliations/${encodeURIComponent(`reconciliation:wallet:${walletId}`)}`;

describe('GET /v1/reconciliations/{id}', () => {
  it("shows a client its wallet's reconciliation, without another client's payments", async () => {
    const { request, keys } = harness();
    const acme = await request(path(SHARED), { key: keys.reader });
    assert.equal(acme.status, 200);
    const ids = (acme.json.findings as Finding[]).map((f) => f.id);
    assert.deepEqual(ids, ['unmatched_transfer:xfr-1', 'outcome_mismatch:xfr-2:fee=1']);
    const globex = await request(path(SHARED), { key: keys.globex });
    assert.deepEqual(
      (globex.json.findings as Finding[]).map((f) => f.id),
      ['unmatched_transfer:xfr-1', 'duplicate_transfer:payment:globex:p9:xfr-3,xfr-4'],
    );
  });

  it("answers 404, without asking Temporal, for another client's wallet, an unknown pool or a malformed id", async () => {
    const { request, keys, fake } = harness();
    for (const target of [
      path(WALLET_B),
      `/v1/reconciliations/${encodeURIComponent('reconciliation:pool:nope')}`,
      '/v1/reconciliations/payment%3Aacme%3Ap1',
    ]) {
      const answer = await request(target, { key: keys.reader });
      assert.equal(answer.status, 404, target);
      assert.equal(answer.headers.get('content-type'), 'application/problem+json');
    }
    assert.deepEqual(fake.calls, []);
  });

  it('gives the findings as CSV with Accept: text/csv', async () => {
    const { request, keys } = harness();
    const csv = await request(path(SHARED), { key: keys.reader, accept: 'text/csv' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const [header, ...rows] = csv.text.trim().split('\n');
    assert.match(header ?? '', /^id,kind,status,walletId,detectedAt,run,paymentId,/);
    assert.equal(rows.length, 2);
    assert.match(rows[1] ?? '', /^outcome_mismatch:xfr-2:fee=1,outcome_mismatch,open,wa-shared,/);
  });

  it('needs reconciliations:read (a payments key gets 403), and says when reconciliation is not configured', async () => {
    const { request, keys } = harness();
    assert.equal((await request(path(SHARED), { key: keys.payments })).status, 403);
    const off = harness({ reconciliations: false });
    const answer = await off.request(path(SHARED), { key: off.keys.reader });
    assert.equal(answer.status, 503);
    assert.match(String(answer.json.detail), /reconciliation is not configured/);
  });

  it("lists only the reconciliations of the caller's wallets", async () => {
    const { request, keys } = harness();
    const listed = await request('/v1/reconciliations', { key: keys.reader });
    assert.deepEqual(
      (listed.json.items as { reconciliationId: string }[]).map((item) => item.reconciliationId),
      [`reconciliation:wallet:${SHARED}`],
    );
  });
});

describe('POST /v1/reconciliations/{id}/runs and /acknowledgements', () => {
  it('runs as the calling key (202 while it goes on); a read-only key may not', async () => {
    const { request, keys, fake } = harness();
    assert.equal((await request(`${path(SHARED)}/runs`, { key: keys.reader, method: 'POST' })).status, 403);
    const ran = await request(`${path(SHARED)}/runs?full=true`, { key: keys.operator, method: 'POST' });
    assert.equal(ran.status, 202);
    assert.match(fake.calls.at(-1) ?? '', /^run \{"kind":"wallet","walletId":"wa-shared"\} acme\/\w+ full$/);
    const pool = await request(`/v1/reconciliations/${encodeURIComponent('reconciliation:pool:acme-hot')}/runs`, {
      key: keys.operator,
      method: 'POST',
    });
    assert.equal(pool.status, 202, 'a pool whose wallets are all the caller’s');
  });

  it('records the calling key and the reason, refuses a second time (409), an invisible finding (404), a bad body (400)', async () => {
    const { request, keys, fake } = harness();
    const target = `${path(SHARED)}/acknowledgements`;
    const ok = await request(target, {
      key: keys.operator,
      method: 'POST',
      body: { findingId: 'unmatched_transfer:xfr-1', reason: 'our cold-wallet sweep' },
    });
    assert.equal(ok.status, 200);
    assert.match(fake.acknowledged[0]?.operator ?? '', /^acme\/\w+$/);
    assert.equal(fake.acknowledged[0]?.reason, 'our cold-wallet sweep');
    const again = await request(target, {
      key: keys.operator,
      method: 'POST',
      body: { findingId: 'unmatched_transfer:xfr-1', reason: 'again' },
    });
    assert.equal(again.status, 409);
    const hidden = await request(target, {
      key: keys.operator,
      method: 'POST',
      body: { findingId: 'duplicate_transfer:payment:globex:p9:xfr-3,xfr-4', reason: 'not mine' },
    });
    assert.equal(hidden.status, 404, "another client's payment's finding");
    const bad = await request(target, { key: keys.operator, method: 'POST', body: { findingId: 'x', reason: '  ' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      (bad.json.errors as { field: string }[]).map((e) => e.field),
      ['reason'],
    );
  });
});

describe('GET /v1/exports', () => {
  it("asks for the caller's client only, refuses an empty range, and streams CSV", async () => {
    const asked: ExportQuery[] = [];
    const exports: ExportService = {
      page: (query) => {
        asked.push(query);
        return Promise.resolve({
          items: [],
          scanned: 0,
          queried: 0,
          ...(query.cursor ? {} : { nextCursor: 'next' }),
        });
      },
    };
    const { request, keys } = harness({ exports });
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-01-02T00:00:00Z';
    const page = await request(`/v1/exports?from=${from}&to=${to}&limit=10`, { key: keys.operator });
    assert.equal(page.status, 200);
    assert.deepEqual(asked[0], {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      clientId: 'acme',
      limit: 10,
    });
    const empty = await request(`/v1/exports?from=${to}&to=${from}`, { key: keys.operator });
    assert.equal(empty.status, 400);
    const csv = await request(`/v1/exports?from=${from}&to=${to}`, { key: keys.operator, accept: 'text/csv' });
    assert.equal(csv.status, 200);
    assert.equal(
      csv.text.split('\n')[0],
      'paymentId,clientId,walletId,network,asset,symbol,decimals,amount,amountDisplay,feeSymbol,fee,feeDisplay,feeSponsorId,txHash,settledAt,status,transferId',
    );
    assert.equal(asked.length, 3, 'the CSV followed the cursor to the last page');
    assert.equal((await request(`/v1/exports?from=${from}`, { key: keys.operator })).status, 400);
  });
});
