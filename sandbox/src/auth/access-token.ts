import { z } from 'zod';
import type { AuthContext } from '../http/app-env';
import type { JwtCodec } from './jwt';
import type { SandboxState } from '../state/sandbox-state';

/** The claim the SDK's `orgId` guard decodes: `https://custom/app_metadata.orgId` in the JWT payload. */
export const APP_METADATA_CLAIM = 'https://custom/app_metadata';

const ClaimsSchema = z.object({
  sub: z.string(),
  [APP_METADATA_CLAIM]: z.object({
    orgId: z.string(),
    userId: z.string(),
    tokenId: z.string(),
    tokenKind: z.enum(['ServiceAccount', 'Pat']),
  }),
});

/** Mints a long-lived JWT (no `exp`, like a token created with a long validity) for a service account or approver. */
export function mintAccessToken(
  jwt: JwtCodec,
  identity: AuthContext & { username: string; tokenKind?: 'ServiceAccount' | 'Pat' },
  issuedAtMs: number,
): string {
  return jwt.sign({
    [APP_METADATA_CLAIM]: {
      orgId: identity.orgId,
      userId: identity.userId,
      tokenId: identity.tokenId,
      tokenKind: identity.tokenKind ?? 'ServiceAccount',
    },
    'https://custom/username': identity.username,
    sub: identity.userId,
    iss: 'dfns-sandbox',
    aud: 'dfns:auth:user',
    iat: Math.floor(issuedAtMs / 1000),
  });
}

/** Resolves a bearer token to its identity; undefined if forged, malformed, revoked or foreign. */
export function resolveAccessToken(jwt: JwtCodec, state: SandboxState, token: string): AuthContext | undefined {
  const claims = ClaimsSchema.safeParse(jwt.verify(token));
  if (!claims.success) return undefined;
  const { orgId, userId, tokenId } = claims.data[APP_METADATA_CLAIM];
  if (orgId !== state.org.id || claims.data.sub !== userId) return undefined;
  const record = state.tokens.find((candidate) => candidate.id === tokenId && candidate.userId === userId);
  const user = state.users.find((candidate) => candidate.id === userId);
  if (!record?.isActive || !user?.isActive) return undefined;
  return { orgId, userId, tokenId };
}
