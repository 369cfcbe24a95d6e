import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { visibleWallets, type ClientBindings } from '../clients/client-bindings';
import { callbackPolicy, type CallbackPolicy } from '../callbacks/callback-url-policy';
import type { PoolDefinition } from '../contracts/pool-definition';
import type { Logger } from '../logger';
import { apiKeyAuth, type ApiEnv } from './api-key-auth';
import type { ApiPrincipal } from './api-keys';
import { registerDocsPage } from './docs-page';
import { requestFieldErrors } from './field-issues';
import { openApiDocument, registerSecurityScheme } from './openapi-document';
import type { PaymentsBackend } from './payments-backend';
import { ApiError } from '../bridge/http-error';
import { answerProblems } from './problem';
import { perKeyRateLimit } from './rate-limit';
import { registerHealth } from './routes/health-routes';
import { registerOperatorActions } from './routes/operator-action-routes';
import { registerReadPayments } from './routes/read-payment-routes';
import { registerStartPayment } from './routes/start-payment-route';
import { registerBatches } from './routes/batch-routes';
import { registerStartBatch } from './routes/start-batch-route';
import type { BatchService } from '../batches/batch-service';
import type { ExportService } from '../exports/temporal-exports';
import type { ReconciliationService } from '../reconciliation/temporal-reconciliations';
import { registerExports } from './routes/export-routes';
import { registerReconciliations } from './routes/reconciliation-routes';

/** Request bodies larger than this are refused (413) before they are read. */
export const MAX_API_BODY_BYTES = 64 * 1024;
/** A batch's rows may be larger: 10,000 rows of a few hundred bytes each. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

/** Failed authentications one source address may make per minute (API_AUTH_FAILURES_PER_MINUTE's default). */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/** What the payments API needs; the server builds these from configuration, tests inject their own. */
export interface ApiDeps {
  backend: PaymentsBackend;
  batches: BatchService;
  verifyKey: (key: string) => ApiPrincipal | undefined;
  /** How many API keys the server holds; with none, every 401 says so. Unknown (tests): some. */
  apiKeyCount?: number;
  /** The wallet pools payments may name (PAYMENT_POOLS_FILE); none when not given. */
  pools?: readonly PoolDefinition[];
  /** Which wallets and pools each client may pay from, list and filter by (PAYMENT_CLIENTS_FILE). */
  clients: ClientBindings;
  /** Where a payment's callbackUrl may point; https to public hosts only when not given. */
  callbacks?: CallbackPolicy;
  /** Reconciliations against Dfns (GET/POST /v1/reconciliations…); unconfigured: those routes answer 503. */
  reconciliations?: ReconciliationService;
  /** The accounting export (GET /v1/exports); unconfigured: it answers 503. */
  exports?: ExportService;
  /** Requests per minute per API key. */
  rateLimitPerMinute: number;
  /** Failed authentications per minute per source address before 429; DEFAULT_AUTH_FAILURES_PER_MINUTE if unset. */
  authFailuresPerMinute?: number;
  logger: Logger;
}

const unconfigured = (what: string) => () =>
  Promise.reject(new ApiError(503, 'not_configured', `${what} is not configured on this server`));

/**
 * The payments API: `/v1/...` behind API keys, plus `/openapi.json`, `/docs` (and its assets), `/healthz` and
 * `/readyz`. Every error it answers is an RFC 9457 problem document.
 */
export function createApiApp(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (result.success) return undefined;
      throw new ApiError(
        400,
        'invalid_request',
        'the request is invalid',
        requestFieldErrors(result.error, result.target),
      );
    },
  });
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `body exceeds ${maxSize} bytes`);
      },
    });
  const [smallBody, batchBody] = [limit(MAX_API_BODY_BYTES), limit(MAX_BATCH_BODY_BYTES)];
  app.use(
    '/v1/*',
    (c, next) => (c.req.path === '/v1/batches' ? batchBody(c, next) : smallBody(c, next)),
    apiKeyAuth(
      deps.verifyKey,
      { perWindow: deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE },
      deps.apiKeyCount !== 0,
    ),
    perKeyRateLimit(deps.rateLimitPerMinute),
  );
  registerSecurityScheme(app);
  registerHealth(app, deps.backend);
  const payers = { clients: deps.clients, pools: deps.pools ?? [] };
  registerStartPayment(app, deps.backend, payers, deps.callbacks ?? callbackPolicy());
  registerReadPayments(app, deps.backend, payers);
  registerOperatorActions(app, deps.backend);
  registerStartBatch(app, deps.batches, payers);
  registerBatches(app, deps.batches);
  const reconciliationsOff = unconfigured('reconciliation');
  registerReconciliations(app, {
    reconciliations: deps.reconciliations ?? {
      view: reconciliationsOff,
      run: reconciliationsOff,
      acknowledge: reconciliationsOff,
      list: reconciliationsOff,
    },
    pools: deps.pools ?? [],
    // A client sees the reconciliations of the wallets it may pay from: its own, and its pools' wallets.
    walletsOf: (clientId) => visibleWallets(deps.clients.of(clientId), deps.pools ?? []),
  });
  registerExports(app, deps.exports ?? { page: unconfigured('the export') });
  refuseUndeclaredMethods(app);

  // The contract as committed (openapi/openapi.json), not the raw route registry: the two must never differ, or a
  // client (or Schemathesis) reading the served one sends what the routes refuse.
  let contract: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', (c) => c.json((contract ??= openApiDocument(app))));
  registerDocsPage(app, { openApiPath: '/openapi.json' });
  // The app's error shape (ApiError, as src/bridge/http-error.ts defines it) rendered as RFC 9457 problems.
  app.onError(answerProblems(deps.logger));
  return app;
}

/** 405 with Allow for a method a documented path does not declare (a 404 would say the path does not exist). */
function refuseUndeclaredMethods(app: OpenAPIHono<ApiEnv>): void {
  const allowed = new Map<string, Set<string>>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const path = definition.route.path.replace(/\{(\w+)\}/g, ':$1');
    const methods = allowed.get(path) ?? new Set<string>();
    methods.add(definition.route.method.toUpperCase());
    if (definition.route.method === 'get') methods.add('HEAD');
    allowed.set(path, methods);
  }
  for (const [path, methods] of allowed) {
    app.all(path, (c) => {
      c.header('Allow', [...methods].join(', '));
      throw new ApiError(
        405,
        'method_not_allowed',
        `${c.req.method} is not allowed here; use ${[...methods].join(', ')}`,
      );
    });
  }
}
