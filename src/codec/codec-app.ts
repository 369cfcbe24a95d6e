import type { PayloadCodec } from '@temporalio/common';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { failedAuthLimiter } from '../api/api-key-auth';
import type { ApiPrincipal } from '../api/api-keys';
import { answerProblems, problemNotFound } from '../api/problem';
import { ApiError } from '../bridge/http-error';
import { toFieldErrors } from '../contracts/field-errors';
import type { Logger } from '../logger';
import { CODEC_SESSION_COOKIE, CODEC_SESSION_MS, readSessionValue, sessionValue } from './codec-session';
import { payloadsBodySchema, payloadsFromJson, payloadsToJson } from './payloads-json';
import { renderSignInPage } from './sign-in-page';

/** The scope an API key needs to use the codec endpoint. */
export const CODEC_SCOPE = 'payloads:decode';
/** Bodies larger than this are refused (413): a history's payloads are sent a few at a time. */
export const MAX_CODEC_BODY_BYTES = 8 * 1024 * 1024;

/** What the codec endpoint needs; the server builds these from configuration, tests inject their own. */
export interface CodecAppDeps {
  codec: PayloadCodec;
  verifyKey: (key: string) => ApiPrincipal | undefined;
  /** A configured key by its id, for sessions: a key removed from the configuration ends its sessions. */
  keyById: (keyId: string) => ApiPrincipal | undefined;
  /** The HMAC key of the session cookies (src/codec/codec-session.ts). */
  sessionSecret: Buffer;
  /** The Temporal Web UI (TEMPORAL_UI_URL): its origin is the only one whose scripts may call the endpoint. */
  uiUrl: string;
  authFailuresPerMinute: number;
  logger: Logger;
  now?: () => number;
}

interface CodecEnv {
  Variables: { principal: ApiPrincipal };
}

/**
 * The codec endpoint of Temporal's remote codec protocol: `POST /codec/decode` and `POST /codec/encode` take and
 * answer `{"payloads": [...]}`, so that the Temporal Web UI and CLI read encrypted payments. Only an operator may use
 * it: an API key with the scope payloads:decode as a Bearer token (the CLI's `--codec-auth`), or the session cookie
 * that `/codec/session` sets once such a key signs in there (the Web UI, which sends cookies but no header). Browsers
 * may call it from the Web UI's origin only. It is served on a listener of its own, never on the API's port.
 */
export function createCodecApp(deps: CodecAppDeps): Hono<CodecEnv> {
  const now = deps.now ?? Date.now;
  const app = new Hono<CodecEnv>();
  const countFailure = failedAuthLimiter<CodecEnv>({ perWindow: deps.authFailuresPerMinute });
  const crossOrigin = cors({
    origin: new URL(deps.uiUrl).origin,
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization', 'Authorization-Extras'],
    credentials: true,
    maxAge: 600,
  });
  const limit = bodyLimit({
    maxSize: MAX_CODEC_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `body exceeds ${MAX_CODEC_BODY_BYTES} bytes`);
    },
  });

  /** The principal of a session cookie, `expired`, or undefined (none, or one this endpoint did not sign). */
  const fromSession = async (c: Context<CodecEnv>) => {
    const value = await getSignedCookie(c, deps.sessionSecret, CODEC_SESSION_COOKIE);
    if (value === undefined) return { found: false } as const;
    const session = value === false ? undefined : readSessionValue(value, now());
    if (session === 'expired') return { found: true, expired: true } as const;
    return { found: true, principal: session ? deps.keyById(session.keyId) : undefined } as const;
  };

  const operatorOnly: MiddlewareHandler<CodecEnv> = async function operatorOnly(c, next) {
    const header = c.req.header('authorization');
    const refuse = (why: string) => {
      c.header('WWW-Authenticate', 'Bearer realm="payments-codec"');
      throw new ApiError(
        401,
        'unauthorized',
        `${why}: send Authorization: Bearer <API key with the scope ${CODEC_SCOPE}>, or sign in at /codec/session`,
      );
    };
    let principal: ApiPrincipal | undefined;
    if (header !== undefined) {
      const match = /^Bearer +(\S+) *$/i.exec(header);
      principal = match ? deps.verifyKey(match[1] as string) : undefined;
      if (!principal) await countFailure(c, () => refuse('the key is not valid'));
    } else {
      const session = await fromSession(c);
      // No credentials, or a session of ours that ran out, is not a guess: refused without counting.
      if (!session.found) refuse('no credentials');
      if (session.expired) refuse('the session has expired');
      principal = session.principal;
      if (!principal) await countFailure(c, () => refuse('the session is not valid'));
    }
    if (!principal) return;
    if (!principal.scopes.includes(CODEC_SCOPE)) {
      throw new ApiError(403, 'forbidden', `this API key lacks the scope ${CODEC_SCOPE}`);
    }
    c.set('principal', principal);
    await next();
  };

  for (const direction of ['decode', 'encode'] as const) {
    const path = `/codec/${direction}`;
    app.use(path, crossOrigin);
    app.post(path, limit, operatorOnly, async (c) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        throw new ApiError(415, 'unsupported_media_type', 'send {"payloads": [...]} as application/json');
      }
      let json: unknown;
      try {
        json = await c.req.json();
      } catch {
        throw new ApiError(400, 'invalid_request', 'the body is not JSON', [{ field: '(body)', message: 'not JSON' }]);
      }
      const parsed = payloadsBodySchema.safeParse(json);
      if (!parsed.success) {
        const issues = toFieldErrors(parsed.error, { root: '(body)' });
        throw new ApiError(400, 'invalid_request', 'the body is not {"payloads": [...]}', issues);
      }
      const payloads = payloadsFromJson(parsed.data);
      let result;
      try {
        result = await deps.codec[direction](payloads);
      } catch (error) {
        throw new ApiError(422, 'cannot_decode', (error as Error).message);
      }
      deps.logger.debug(
        { keyId: c.get('principal').keyId, namespace: c.req.header('x-namespace'), payloads: payloads.length },
        `codec ${direction}`,
      );
      return c.json(payloadsToJson(result));
    });
  }

  app.get('/codec/session', (c) => renderSignInPage(c, { status: 200, uiUrl: deps.uiUrl }));
  app.post('/codec/session', bodyLimit({ maxSize: 4096 }), async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const principal = key ? deps.verifyKey(key) : undefined;
    if (!principal) {
      let page: Response | undefined;
      await countFailure(c, () => {
        page = renderSignInPage(c, { status: 401, message: 'That key is not valid.', uiUrl: deps.uiUrl });
      });
      return page;
    }
    if (!principal.scopes.includes(CODEC_SCOPE)) {
      const message = `That key lacks the scope ${CODEC_SCOPE}: mint one with payments mint-key --scopes ${CODEC_SCOPE}.`;
      return renderSignInPage(c, { status: 403, message, uiUrl: deps.uiUrl });
    }
    const { value, expiresAt } = sessionValue(principal.keyId, now());
    await setSignedCookie(c, CODEC_SESSION_COOKIE, value, deps.sessionSecret, {
      path: '/codec',
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      maxAge: CODEC_SESSION_MS / 1000,
    });
    deps.logger.info({ keyId: principal.keyId, until: expiresAt.toISOString() }, 'codec session signed in');
    return renderSignInPage(c, {
      status: 200,
      signedIn: { keyId: principal.keyId, until: expiresAt },
      uiUrl: deps.uiUrl,
    });
  });
  app.post('/codec/session/end', (c) => {
    deleteCookie(c, CODEC_SESSION_COOKIE, { path: '/codec', secure: isHttps(c) });
    return renderSignInPage(c, { status: 200, message: 'Signed out.', uiUrl: deps.uiUrl });
  });

  app.notFound(problemNotFound);
  app.onError(answerProblems(deps.logger));
  return app;
}

/** Whether the browser reached this over https (directly, or through a TLS proxy that says so). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
