import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { API_TYPES_PATH, generatedOpenApiText, generatedTypesText, OPENAPI_PATH } from '../../scripts/openapi-contract';
import { createPaymentsApiClient } from '../../src/client/payments-api-client';
import { validateBatchRows } from '../../src/contracts/batch-row';
import { paymentBodySchema } from '../../src/contracts/payment-request';
import { apiHarness, BODY } from './api-harness';

describe('the committed OpenAPI contract', () => {
  it('is what the route declarations generate (run `npm run openapi` after changing a route)', () => {
    assert.deepEqual(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')), JSON.parse(generatedOpenApiText()));
  });

  it('has client types generated from it (run `npm run openapi`)', async () => {
    assert.equal(readFileSync(API_TYPES_PATH, 'utf8'), await generatedTypesText(readFileSync(OPENAPI_PATH, 'utf8')));
  });

  it('is the document the app serves at /openapi.json (one contract for clients and for Schemathesis)', async () => {
    const served = await apiHarness().app.request('/openapi.json');
    assert.equal(served.status, 200);
    assert.deepEqual(await served.json(), JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')));
  });

  it('declares the batch body required, as the route enforces it (415 without one)', async () => {
    const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    assert.equal(document.paths['/v1/batches'].post.requestBody.required, true);
    const h = apiHarness();
    const bare = await h.request('/v1/batches', {
      method: 'POST',
      key: h.keys.acme,
      headers: { 'Idempotency-Key': 'b-1' },
    });
    assert.equal(bare.status, 415);
  });

  it('carries request examples the API accepts as they are', () => {
    const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    const example = document.components.schemas.PaymentRequest.example;
    assert.deepEqual(paymentBodySchema.safeParse(example).error?.issues, undefined);
    const rows = [document.components.schemas.BatchRequest.properties.rows.items.example];
    assert.equal(validateBatchRows(rows).ok, true);
  });

  it('is OpenAPI 3.1 with every /v1 operation behind the bearer scheme', () => {
    const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: document.components.securitySchemes.bearerAuth.description,
    });
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as object).map(([method, op]) => ({ path, method, op })),
    );
    assert.equal(operations.filter(({ path }) => path.startsWith('/v1/')).length, 15);
    for (const { path, method, op } of operations.filter(({ path: p }) => p.startsWith('/v1/'))) {
      assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path}`);
      assert.ok(op.responses['401'] && op.responses['403'] && op.responses['429'], `${method} ${path}`);
    }
  });
});

describe('the typed HTTP client', () => {
  it('starts and reads a payment through the app', async () => {
    const h = apiHarness();
    const api = createPaymentsApiClient({
      baseUrl: 'http://api.test/',
      apiKey: h.keys.acme,
      fetch: (input, init) => Promise.resolve(h.app.request(input as Request, init)),
    });
    const started = await api.POST('/v1/payments', {
      params: { header: { 'idempotency-key': 'typed-1' } },
      body: { ...BODY, network: 'BaseSepolia', asset: { kind: 'Native' } },
    });
    assert.equal(started.response.status, 201);
    assert.equal(started.data?.paymentId, 'payment:acme:typed-1');
    const read = await api.GET('/v1/payments/{id}', { params: { path: { id: 'payment:acme:typed-1' } } });
    assert.equal(read.data?.status, 'Accepted');
    const missing = await api.GET('/v1/payments/{id}', { params: { path: { id: 'payment:acme:none' } } });
    assert.equal(missing.response.status, 404);
    assert.equal(missing.error?.status, 404);
  });
});
