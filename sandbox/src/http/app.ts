import { Hono } from 'hono';
import type { SandboxEnv } from './app-env';
import type { ApprovalService } from '../approvals/approval-service';
import { bearerAuth, userActionGuard } from '../auth/auth-middleware';
import { permissionGuard } from '../auth/permissions';
import { handleError, handleNotFound } from './errors';
import { injectHttpFaults, slowAnswers } from '../faults/http-faults';
import type { JwtCodec } from '../auth/jwt';
import type { PolicyService } from '../policies/policy-service';
import { rateLimit, type RateLimiter } from '../faults/rate-limiter';
import { countRequests, type RequestCounter } from '../admin/request-counter';
import { createAdminRoutes } from '../admin/admin-routes';
import { createAuthRoutes } from '../auth/auth-routes';
import { createServiceAccountRoutes } from '../auth/service-account-routes';
import { createPolicyRoutes } from '../policies/policy-routes';
import { createWalletRoutes } from '../wallets/wallet-routes';
import { createFeeSponsorRoutes } from '../fee-sponsors/fee-sponsor-routes';
import { createWebhookRoutes } from '../webhooks/webhook-routes';
import type { SandboxAdmin } from '../admin/sandbox-admin';
import type { LedgerAdmin } from '../admin/ledger-admin';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import type { TransferActions } from '../wallets/transfer-actions';
import type { TransferService } from '../wallets/transfer-service';
import type { UserActions } from '../auth/user-actions';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { WebhookRegistry } from '../webhooks/webhook-registry';
import type { DeliveryLog } from '../webhooks/delivery-log';

/** Everything the HTTP layer needs, built by `startSandbox`. */
export interface AppDeps {
  store: StateStore;
  jwt: JwtCodec;
  time: TimeControl;
  userActions: UserActions;
  transfers: TransferService;
  actions: TransferActions;
  policies: PolicyService;
  approvals: ApprovalService;
  registry: WebhookRegistry;
  dispatcher: WebhookDispatcher;
  admin: SandboxAdmin;
  ledger: LedgerAdmin;
  counter: RequestCounter;
  limiter: RateLimiter;
  deliveryLog: DeliveryLog;
  rateLimitPerMinute: number;
}

/**
 * Builds the Hono app: admin routes first (they answer and stop), then, on every Dfns path, the
 * request counter, injected HTTP faults, slow answers, the rate limit, bearer auth and the user-action guard.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono<SandboxEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.route('/_sandbox', createAdminRoutes(deps));

  app.use('*', countRequests(deps.counter));
  app.use('*', injectHttpFaults(deps));
  app.use('*', slowAnswers(deps));
  app.use('*', rateLimit(deps.limiter, deps.rateLimitPerMinute));
  app.use('*', bearerAuth(deps));
  app.use('*', permissionGuard(deps));
  app.use('*', userActionGuard(deps));
  app.route('/', createAuthRoutes(deps));
  app.route('/', createServiceAccountRoutes(deps));
  app.route('/', createWalletRoutes(deps));
  app.route('/', createPolicyRoutes(deps));
  app.route('/', createWebhookRoutes(deps));
  app.route('/', createFeeSponsorRoutes(deps));
  return app;
}
