import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiHarness, BODY, RECIPIENT } from './api-harness';

const USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const CSV = [
  'key,walletId,network,asset,to,amount,reference',
  `r1,wa-acme-1,BaseSepolia,native,${RECIPIENT},1500000,payout 1`,
  `r2,wa-acme-1,BaseSepolia,erc20:${USDC},${RECIPIENT},2500000,`,
].join('\n');

describe('POST /v1/batches', () => {
  const startJson = (h: ReturnType<typeof apiHarness>, key: string, rows: unknown[], idem = 'run-1') =>
    h.request('/v1/batches', { method: 'POST', key, headers: { 'Idempotency-Key': idem }, body: { rows } });
  const startCsv = (h: ReturnType<typeof apiHarness>, key: string, csv: string, idem = 'run-1', query = '') =>
    h.request(`/v1/batches${query}`, {
      method: 'POST',
      key,
      headers: { 'Idempotency-Key': idem, 'content-type': 'text/csv' },
      body: csv,
    });

  it('starts a JSON batch (201), finds it again (200), and refuses the key with other rows (422)', async () => {
    const h = apiHarness();
    const rows = [
      { key: 'a', ...BODY },
      { key: 'b', ...BODY, amount: '2000000' },
    ];
    const first = await startJson(h, h.keys.acme, rows);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.batchId, 'batch:acme:run-1');
    assert.equal(first.headers.get('location'), '/v1/batches/batch%3Aacme%3Arun-1');
    assert.deepEqual((first.json.byStatus as Record<string, unknown>).Pending, {
      count: 2,
      amounts: { 'BaseSepolia:Native': '3500000' },
    });
    assert.equal((await startJson(h, h.keys.acme, rows)).status, 200);
    const other = await startJson(h, h.keys.acme, rows.slice(0, 1));
    assert.equal(other.status, 422);
    assert.equal(other.json.type, 'urn:problem:payments:idempotency_key_reused');
  });

  it('starts a CSV batch, building each asset from its column and passing other fields through', async () => {
    const h = apiHarness();
    const response = await startCsv(h, h.keys.acme, CSV, 'csv-1', '?concurrency=5');
    assert.equal(response.status, 201, response.text);
    assert.equal(response.json.concurrency, 5);
    const stored = h.batches.batches.get('batch:acme:csv-1');
    assert.deepEqual(
      stored?.rows.map((row) => [row.row, row.key, row.body.asset, row.body.reference]),
      [
        [1, 'r1', { kind: 'Native' }, 'payout 1'],
        [2, 'r2', { kind: 'Erc20', contract: USDC }, undefined],
      ],
    );
  });

  it('lists every bad row by number and field, and starts nothing', async () => {
    const h = apiHarness();
    const rows = [
      { key: 'a', ...BODY },
      { key: 'b', ...BODY, amount: '1.5' },
      { key: 'a', ...BODY, to: 'nope', color: 'red' },
    ];
    const response = await startJson(h, h.keys.acme, rows);
    assert.equal(response.status, 400, response.text);
    assert.equal(response.json.type, 'urn:problem:payments:invalid_rows');
    const fields = (response.json.errors as { field: string }[]).map((e) => e.field);
    assert.deepEqual(fields, ['row 2.amount', 'row 3.key', 'row 3.color', 'row 3.to']);
    assert.match(String(response.json.detail), /2 row\(s\) are invalid; nothing was started/);
    assert.deepEqual(h.batches.calls, [], 'nothing started');
  });

  it('refuses, as bad rows, rows the batch service finds naming another payment under their key', async () => {
    const h = apiHarness();
    const message = "payment payment:acme:run-1.b already holds this row's key (run-1.b) with amount 999; …";
    h.batches.service.start = () =>
      Promise.resolve({ kind: 'invalid-rows', problems: [{ row: 2, field: 'amount', message }] });
    const response = await startJson(h, h.keys.acme, [
      { key: 'a', ...BODY },
      { key: 'b', ...BODY, amount: '222' },
    ]);
    assert.equal(response.status, 400, response.text);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(response.json.type, 'urn:problem:payments:invalid_rows');
    assert.deepEqual(response.json.errors, [{ field: 'row 2.amount', message }]);
    assert.match(String(response.json.detail), /1 row\(s\) are invalid; nothing was started/);
  });

  it('reports bad CSV rows by row number (the line after the header is row 1)', async () => {
    const h = apiHarness();
    const csv = `${CSV}\nr3,wa-acme-1,BaseSepolia,gold,${RECIPIENT},-5,\nr1,wa-acme-1,BaseSepolia,native,${RECIPIENT},7,`;
    const response = await startCsv(h, h.keys.acme, csv);
    assert.equal(response.status, 400, response.text);
    const errors = response.json.errors as { field: string; message: string }[];
    assert.deepEqual(
      errors.map((e) => e.field),
      ['row 3.asset', 'row 3.amount', 'row 4.key'],
    );
    assert.match(errors[2]?.message ?? '', /repeats the key of row 1/);
    const ragged = await startCsv(h, h.keys.acme, 'key,amount\nr1,1,extra');
    assert.equal(ragged.status, 400);
    assert.equal((ragged.json.errors as { field: string }[])[0]?.field, '(csv)');
    assert.deepEqual(h.batches.calls, []);
  });

  it('refuses a bad batch key, a bad concurrency, another media type, and callers without the scope', async () => {
    const h = apiHarness();
    const rows = [{ key: 'a', ...BODY }];
    const badKey = await startJson(h, h.keys.acme, rows, 'has.dot');
    assert.equal(badKey.status, 400);
    assert.equal((badKey.json.errors as { field: string }[])[0]?.field, 'Idempotency-Key');
    const badCap = await startCsv(h, h.keys.acme, CSV, 'run-2', '?concurrency=999');
    assert.equal(badCap.status, 400);
    const plain = await h.request('/v1/batches', {
      method: 'POST',
      key: h.keys.acme,
      headers: { 'Idempotency-Key': 'run-3', 'content-type': 'text/plain' },
      body: CSV,
    });
    assert.equal(plain.status, 415);
    assert.equal((await startJson(h, h.keys.reader, rows)).status, 403);
    assert.equal((await startJson(h, '', rows)).status, 401);
    assert.deepEqual(h.batches.calls, []);
  });
});

describe('GET /v1/batches/{id}, /report and POST /cancel', () => {
  async function started() {
    const h = apiHarness();
    const response = await h.request('/v1/batches', {
      method: 'POST',
      key: h.keys.acme,
      headers: { 'Idempotency-Key': 'run-9', 'content-type': 'text/csv' },
      body: CSV,
    });
    assert.equal(response.status, 201);
    return { h, path: `/v1/batches/${encodeURIComponent('batch:acme:run-9')}` };
  }

  it('shows progress to its client only; another client gets 404', async () => {
    const { h, path } = await started();
    const own = await h.request(path, { key: h.keys.reader });
    assert.equal(own.status, 200);
    assert.equal(own.json.total, 2);
    assert.equal((await h.request(path, { key: h.keys.globex })).status, 404);
    assert.equal((await h.request(`${path}/report`, { key: h.keys.globex })).status, 404);
    assert.equal((await h.request('/v1/batches/batch%3Aacme%3Anope', { key: h.keys.acme })).status, 404);
  });

  it('reports as JSON, and as CSV with Accept: text/csv', async () => {
    const { h, path } = await started();
    const json = await h.request(`${path}/report`, { key: h.keys.acme });
    assert.equal(json.status, 200);
    assert.equal((json.json.rows as unknown[]).length, 2);
    const csv = await h.app.request(`${path}/report`, {
      headers: { authorization: `Bearer ${h.keys.acme}`, accept: 'text/csv' },
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(lines[0], 'row,key,paymentId,status,asset,amount,transferId,txHash,reason,failureType');
    assert.match(lines[1] ?? '', /^1,r1,payment:acme:run-9\.r1,Confirmed,BaseSepolia:Native,1500000,,0x(ab){32},,$/);
  });

  it('cancels once (200), then refuses (409); needs the operate scope and a reason', async () => {
    const { h, path } = await started();
    const cancel = (key: string, body: unknown) => h.request(`${path}/cancel`, { method: 'POST', key, body });
    assert.equal((await cancel(h.keys.reader, { reason: 'x' })).status, 403);
    assert.equal((await cancel(h.keys.acme, {})).status, 400);
    const first = await cancel(h.keys.acme, { reason: 'wrong file' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.status, 'Cancelling');
    assert.equal((await cancel(h.keys.acme, { reason: 'again' })).status, 409);
    assert.equal((await cancel(h.keys.globex, { reason: 'theirs' })).status, 404);
  });
});
