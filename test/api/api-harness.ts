import { createApp } from '../../src/app';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry, type ApiScope } from '../../src/api/api-keys';
import type { CallbackPolicy } from '../../src/callbacks/callback-url-policy';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import type { PaymentSignaler } from '../../src/temporal/payment-signaler';
import { fakeBatchService } from '../support/fake-batch-service';
import { fakePaymentsBackend } from '../support/fake-payments-backend';
import { captureLogs } from '../logging/log-capture';

export const ALL_SCOPES: ApiScope[] = ['payments:write', 'payments:read', 'payments:operate'];
export const RECIPIENT = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
export const BODY = {
  walletId: 'wa-acme-1',
  network: 'BaseSepolia',
  asset: { kind: 'Native' },
  to: RECIPIENT,
  amount: '1500000',
};

/** The whole HTTP app (bridge + API) over a fake backend, with keys for two clients and a read-only key. */
export function apiHarness(
  options: {
    rateLimitPerMinute?: number;
    authFailuresPerMinute?: number;
    pools?: PoolDefinition[];
    callbacks?: CallbackPolicy;
  } = {},
) {
  const acme = mintApiKey('acme', ALL_SCOPES);
  const globex = mintApiKey('globex', ALL_SCOPES);
  const reader = mintApiKey('acme', ['payments:read']);
  const fake = fakePaymentsBackend();
  const batches = fakeBatchService();
  const { logger, lines } = captureLogs('api');
  const signaler: PaymentSignaler = {
    signal: () => Promise.reject(new Error('no signal expected')),
    findPayment: () => Promise.reject(new Error('no lookup expected')),
  };
  const app = createApp({
    webhook: { secrets: ['whsec_api_harness_0123456789'], toleranceSeconds: 300, signaler, logger },
    api: {
      backend: fake.backend,
      batches: batches.service,
      verifyKey: createApiKeyVerifier([acme.entry, globex.entry, reader.entry].map(parseApiKeyEntry)),
      rateLimitPerMinute: options.rateLimitPerMinute ?? 1000,
      ...(options.authFailuresPerMinute ? { authFailuresPerMinute: options.authFailuresPerMinute } : {}),
      ...(options.pools ? { pools: options.pools } : {}),
      ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      logger,
    },
  });
  const request = async (
    path: string,
    init: { method?: string; key?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    // `from`: the TCP peer as @hono/node-server would bind it (its conninfo reads env.incoming.socket).
    const bindings = init.from
      ? { incoming: { socket: { remoteAddress: init.from, remoteFamily: 'IPv4' } } }
      : undefined;
    const response = await app.request(
      path,
      { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) },
      bindings,
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const start = (key: string, idempotencyKey: string, body: unknown = BODY) =>
    request('/v1/payments', { method: 'POST', key, headers: { 'Idempotency-Key': idempotencyKey }, body });
  return {
    app,
    fake,
    batches,
    lines,
    keys: { acme: acme.key, globex: globex.key, reader: reader.key },
    request,
    start,
  };
}
