import { Hono } from 'hono';
import type { SandboxEnv } from './app-env';
import { bearerAuth, userActionGuard } from './auth-middleware';
import { handleError, handleNotFound } from './errors';
import type { JwtCodec } from './jwt';
import { createAdminRoutes } from './routes/admin-routes';
import { createAuthRoutes } from './routes/auth-routes';
import { createWalletRoutes } from './routes/wallet-routes';
import { createWebhookRoutes } from './routes/webhook-routes';
import type { StateStore } from './state-store';
import type { TransferService } from './transfers';
import type { UserActions } from './user-actions';
import type { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookRegistry } from './webhook-registry';

/** Everything the HTTP layer needs, built by `startSandbox`. */
export interface AppDeps {
  store: StateStore;
  jwt: JwtCodec;
  userActions: UserActions;
  transfers: TransferService;
  registry: WebhookRegistry;
  dispatcher: WebhookDispatcher;
}

/** Builds the Hono app: admin routes first, then bearer auth + user-action guard over all Dfns paths. */
export function createApp(deps: AppDeps) {
  const app = new Hono<SandboxEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.route('/_sandbox', createAdminRoutes(deps));

  app.use('*', bearerAuth(deps));
  app.use('*', userActionGuard(deps));
  app.route('/', createAuthRoutes(deps));
  app.route('/', createWalletRoutes(deps));
  app.route('/', createWebhookRoutes(deps));
  return app;
}
