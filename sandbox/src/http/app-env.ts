/** The authenticated identity behind a request, resolved from its bearer token. */
export interface AuthContext {
  orgId: string;
  userId: string;
  tokenId: string;
}

/** Hono environment of the Dfns routes: the bearer middleware sets `auth`. */
export type SandboxEnv = { Variables: { auth: AuthContext } };
