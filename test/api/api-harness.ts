import { createApp } from '../../src/app';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry, type ApiScope } from '../../src/api/api-keys';
import { clientBindings } from '../../src/clients/client-bindings';
import type { ClientsFileInput } from '../../src/clients/clients-file-schema';
import { parseClientsFile } from '../../src/clients/load-clients-file';
import { callbackPolicy, type CallbackPolicy } from '../../src/callbacks/callback-url-policy';
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

/** The wallet globex pays from in the harness; acme pays from BODY's (wa-acme-1). */
export const GLOBEX_WALLET = 'wa-globex-1';

/**
 * The harness's bindings: acme may pay from wa-acme-1 and every pool given, globex from wa-globex-1 only, and
 * payments without a client from nothing.
 */
export function harnessClients(pools: readonly PoolDefinition[]): ClientsFileInput {
  return {
    version: 1,
    clients: [
      { id: 'acme', wallets: [BODY.walletId], pools: pools.map((pool) => pool.name) },
      { id: 'globex', wallets: [GLOBEX_WALLET] },
    ],
  };
}

/** The whole HTTP app (bridge + API) over a fake backend, with keys for two clients and a read-only key. */
export function apiHarness(
  options: {
    rateLimitPerMinute?: number;
    authFailuresPerMinute?: number;
    pools?: PoolDefinition[];
    clients?: ClientsFileInput;
    callbacks?: CallbackPolicy;
    /** A server that holds no API key at all (none configured). */
    noKeys?: boolean;
  } = {},
) {
  const acme = mintApiKey('acme', ALL_SCOPES);
  const globex = mintApiKey('globex', ALL_SCOPES);
  const reader = mintApiKey('acme', ['payments:read']);
  const fake = fakePaymentsBackend();
  const batches = fakeBatchService();
  const { logger, lines } = captureLogs('api');
  const file = options.clients ?? harnessClients(options.pools ?? []);
  const clients = clientBindings(parseClientsFile(file, 'the harness clients file'));
  const signaler: PaymentSignaler = {
    signal: () => Promise.reject(new Error('no signal expected')),
    findPayment: () => Promise.reject(new Error('no lookup expected')),
  };
  const app = createApp({
    webhook: { secrets: ['whsec_api_harness_0123456789'], toleranceSeconds: 300, signaler, logger },
    api: {
      backend: fake.backend,
      batches: batches.service,
      verifyKey: createApiKeyVerifier(
        options.noKeys ? [] : [acme.entry, globex.entry, reader.entry].map(parseApiKeyEntry),
      ),
      apiKeyCount: options.noKeys ? 0 : 3,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 1000,
      ...(options.authFailuresPerMinute ? { authFailuresPerMinute: options.authFailuresPerMinute } : {}),
      ...(options.pools ? { pools: options.pools } : {}),
      clients,
      // The clients file's callbackHosts, as the server wires them, unless a test brings a policy of its own.
      callbacks: options.callbacks ?? callbackPolicy({ callbackHostsOf: clients.callbackHostsOf }),
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
