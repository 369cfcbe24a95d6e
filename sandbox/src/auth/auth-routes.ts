import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxEnv } from '../http/app-env';
import type { UserActions } from './user-actions';
import { parseOrThrow, readJsonBody } from '../http/validation';

const InitBodySchema = z.object({
  userActionPayload: z.string(),
  userActionHttpMethod: z.enum(['POST', 'PUT', 'DELETE', 'GET']),
  userActionHttpPath: z.string().startsWith('/'),
  userActionServerKind: z.enum(['Api', 'Staff']).optional(),
});

// Service accounts only hold Key credentials, so Key is the only first factor the sandbox accepts.
const SignBodySchema = z.object({
  challengeIdentifier: z.string().min(1),
  firstFactor: z.object({
    kind: z.literal('Key'),
    credentialAssertion: z.object({
      credId: z.string().min(1),
      clientData: z.string().min(1),
      signature: z.string().min(1),
      algorithm: z.string().optional(),
    }),
  }),
  secondFactor: z.unknown().optional(),
});

/** `POST /auth/action/init` and `POST /auth/action`: the user-action handshake
 * (https://docs.dfns.co/api-reference/auth/signing-flows). */
export function createAuthRoutes(deps: { userActions: UserActions }) {
  const routes = new Hono<SandboxEnv>();

  routes.post('/auth/action/init', async (c) => {
    const body = parseOrThrow(InitBodySchema, await readJsonBody(c), 'user action challenge request');
    const challenge = deps.userActions.createChallenge(c.get('auth').userId, {
      method: body.userActionHttpMethod,
      path: body.userActionHttpPath,
      payload: body.userActionPayload,
    });
    return c.json(challenge);
  });

  routes.post('/auth/action', async (c) => {
    const body = parseOrThrow(SignBodySchema, await readJsonBody(c), 'user action signature');
    const { challengeIdentifier, firstFactor } = body;
    return c.json(deps.userActions.sign(c.get('auth').userId, challengeIdentifier, firstFactor.credentialAssertion));
  });

  return routes;
}
