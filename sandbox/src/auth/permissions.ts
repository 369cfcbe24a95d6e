import type { MiddlewareHandler } from 'hono';
import type { SandboxEnv } from '../http/app-env';
import { DfnsHttpError } from '../http/errors';
import type { StateStore } from '../state/state-store';

/**
 * The permission each Dfns endpoint the sandbox serves requires, from the "Required Permissions" table of each
 * endpoint's page in the Dfns API reference (https://docs.dfns.co/api-reference). First match wins.
 */
const REQUIRED: [method: string, path: RegExp, operation: string][] = [
  ['POST', /^\/wallets\/[^/]+\/transfers$/, 'Wallets:Transfers:Create'],
  ['GET', /^\/wallets\/[^/]+\/transfers(\/[^/]+)?$/, 'Wallets:Transfers:Read'],
  ['PUT', /^\/wallets\/[^/]+\/transfers\/[^/]+\/abort$/, 'Wallets:Transfers:Abort'],
  // Cancel and speed-up broadcast a replacement transaction.
  ['POST', /^\/wallets\/[^/]+\/transfers\/[^/]+\/(cancel|speed-up)$/, 'Wallets:Transactions:Create'],
  ['GET', /^\/wallets\/[^/]+\/transactions(\/[^/]+)?$/, 'Wallets:Transactions:Read'],
  ['GET', /^\/wallets(\/[^/]+)?(\/assets|\/history)?$/, 'Wallets:Read'],
  ['PUT', /^\/wallets\/[^/]+\/tags$/, 'Wallets:Tags:Add'],
  ['DELETE', /^\/wallets\/[^/]+\/tags$/, 'Wallets:Tags:Delete'],
  ['GET', /^\/v2\/policy-approvals(\/[^/]+)?$/, 'Policies:Approvals:Read'],
  ['POST', /^\/v2\/policy-approvals\/[^/]+\/decisions$/, 'Policies:Approvals:Approve'],
  ['GET', /^\/v2\/policies(\/[^/]+)?$/, 'Policies:Read'],
  ['POST', /^\/v2\/policies$/, 'Policies:Create'],
  ['PUT', /^\/v2\/policies\/[^/]+$/, 'Policies:Update'],
  ['DELETE', /^\/v2\/policies\/[^/]+$/, 'Policies:Archive'],
  ['GET', /^\/webhooks\/[^/]+\/events(\/[^/]+)?$/, 'Webhooks:Events:Read'],
  ['GET', /^\/webhooks(\/[^/]+)?$/, 'Webhooks:Read'],
  ['POST', /^\/webhooks$/, 'Webhooks:Create'],
  ['PUT', /^\/webhooks\/[^/]+$/, 'Webhooks:Update'],
  ['DELETE', /^\/webhooks\/[^/]+$/, 'Webhooks:Delete'],
  ['POST', /^\/webhooks\/[^/]+\/ping$/, 'Webhooks:Ping'],
  ['POST', /^\/permissions$/, 'Permissions:Create'],
  ['POST', /^\/permissions\/[^/]+\/assignments$/, 'Permissions:Assign'],
  ['POST', /^\/auth\/service-accounts$/, 'Auth:ServiceAccounts:Create'],
];

/** The permission a request needs, or undefined for the paths every authenticated caller may use (auth). */
export function requiredPermission(method: string, path: string): string | undefined {
  return REQUIRED.find(([m, pattern]) => m === method && pattern.test(path))?.[2];
}

/** Every operation the sandbox checks: what an org owner's role grants (the bootstrap service account holds it). */
export const ALL_OPERATIONS: readonly string[] = [...new Set(REQUIRED.map(([, , operation]) => operation))];

/**
 * What the bootstrap approvers' role grants: reading approvals, the policies behind them and the wallets and
 * transfers they are asked about, and deciding. Initiating a transfer is not part of it.
 */
export const APPROVER_OPERATIONS: readonly string[] = [
  'Wallets:Read',
  'Wallets:Transfers:Read',
  'Policies:Read',
  'Policies:Approvals:Read',
  'Policies:Approvals:Approve',
];

/**
 * Enforces the operations granted to the caller, as Dfns does: a request whose permission is not granted is refused
 * with 403 naming it. Dfns denies whatever no assigned permission grants, so a user with no grants may call nothing
 * but auth; the org's owner and approvers hold theirs through roles given at bootstrap (bootstrap-fixtures.ts).
 */
export function permissionGuard(deps: { store: StateStore }): MiddlewareHandler<SandboxEnv> {
  return async function permissionGuardMiddleware(c, next) {
    const granted = deps.store.state.permissionGrants[c.get('auth').userId] ?? [];
    const needed = requiredPermission(c.req.method, new URL(c.req.url).pathname);
    if (needed && !granted.includes(needed)) {
      throw new DfnsHttpError(403, `Forbidden: missing permission ${needed}`, { requiredPermission: needed });
    }
    await next();
  };
}
