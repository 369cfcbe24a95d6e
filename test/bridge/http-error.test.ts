// Tests src/bridge/http-error.ts: the one onError and the one JSON error shape, through app.request() with no network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { answerErrors, ApiError, type ErrorBody } from '../../src/bridge/http-error';
import { captureLogs } from '../logging/log-capture';

function appThrowing(error: unknown): { app: Hono; lines: string[] } {
  const { logger, lines } = captureLogs('bridge');
  const app = new Hono();
  app.get('/boom', () => {
    throw error;
  });
  app.onError(answerErrors(logger));
  return { app, lines };
}

interface Answer {
  status: number;
  type: string | null;
  body: ErrorBody;
  lines: string[];
}

async function answer(error: unknown): Promise<Answer> {
  const { app, lines } = appThrowing(error);
  const response = await app.request('/boom');
  const body = (await response.json()) as ErrorBody;
  return { status: response.status, type: response.headers.get('content-type'), body, lines };
}

describe('answerErrors: the one onError', () => {
  it('answers an ApiError with its status, code, message and field errors', async () => {
    const issues = [{ field: 'data.transferRequest.status', message: 'Invalid option' }];
    const res = await answer(new ApiError(400, 'malformed_body', 'event data is malformed', issues));
    assert.equal(res.status, 400);
    assert.match(res.type ?? '', /^application\/json/);
    assert.deepEqual(res.body, { error: { code: 'malformed_body', message: 'event data is malformed', issues } });
    assert.deepEqual(res.lines, [], 'a refusal is not an unhandled error');
  });

  it('leaves issues out when there are none', async () => {
    const res = await answer(new ApiError(401, 'invalid_signature', 'missing or invalid x-dfns-webhook-signature'));
    const message = 'missing or invalid x-dfns-webhook-signature';
    assert.deepEqual(res.body, { error: { code: 'invalid_signature', message } });
  });

  it('is an HTTPException, so Hono middleware and routes throw it the same way', () => {
    assert.ok(new ApiError(503, 'temporal_unavailable', 'redeliver later') instanceof HTTPException);
  });

  it('answers a plain HTTPException from other middleware in the same shape, by its status', async () => {
    const res = await answer(new HTTPException(413, { res: new Response('Payload Too Large', { status: 413 }) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    const unknown = await answer(new HTTPException(418, { message: 'teapot' }));
    assert.deepEqual(unknown.body, { error: { code: 'http_error', message: 'teapot' } });
  });

  it('answers anything else 500 without its text, and logs it', async () => {
    const res = await answer(new Error('connect ECONNREFUSED 10.0.0.7:7233 secret=whsec_x'));
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { error: { code: 'internal_error', message: 'internal error' } });
    assert.equal(res.lines.length, 1);
    assert.match(res.lines[0]!, /"level":"error".*ECONNREFUSED/);
  });
});
