import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DFNS_SIGNATURE_HEADER, timestampProblem, verifyDfnsSignature } from '../dfns/webhook-signature';
import type { Logger } from '../logger';
import { ApiError } from './http-error';

/** Deliveries larger than this are refused before they are read. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** What the verifier needs: the webhook secrets (several during a rotation) and the replay window. */
export interface DfnsWebhookVerifierOptions {
  secrets: readonly string[];
  toleranceSeconds: number;
  logger: Logger;
  now?: () => number;
}

/** What a verified delivery leaves for the route: its JSON object, read and parsed once. */
export type VerifiedWebhookEnv = { Variables: { webhookBody: Record<string, unknown> } };

const notAnObject = (value: unknown): boolean => typeof value !== 'object' || value === null || Array.isArray(value);

const malformedBody = (message: string, problem: string) =>
  new ApiError(400, 'malformed_body', message, [{ field: '(body)', message: problem }]);

/**
 * Lets through only a delivery Dfns signed (https://docs.dfns.co/api-reference/webhooks): at most
 * MAX_WEBHOOK_BODY_BYTES, an HMAC-SHA256 over the raw body matching one of the secrets (compared in constant time),
 * a JSON object, and a `timestampSent` inside the replay window. Each refusal is thrown as an ApiError.
 */
export function verifyDfnsWebhook(options: DfnsWebhookVerifierOptions): MiddlewareHandler<VerifiedWebhookEnv> {
  const now = options.now ?? Date.now;
  const limit = bodyLimit({
    maxSize: MAX_WEBHOOK_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `body exceeds ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    },
  });
  return async function verifyDfnsWebhook(c, next) {
    await limit(c, async () => {
      const raw = await c.req.text();
      if (!verifyDfnsSignature(raw, c.req.header(DFNS_SIGNATURE_HEADER), options.secrets)) {
        options.logger.warn('webhook refused: bad or missing signature');
        throw new ApiError(401, 'invalid_signature', `missing or invalid ${DFNS_SIGNATURE_HEADER}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw malformedBody('body is not JSON', 'is not valid JSON');
      }
      if (notAnObject(json)) {
        throw malformedBody('body is not a JSON object', 'must be a JSON object');
      }
      const body = json as Record<string, unknown>;
      const stale = timestampProblem(body.timestampSent, now(), options.toleranceSeconds);
      if (stale) {
        options.logger.warn({ why: stale }, 'webhook refused: outside the replay window');
        throw new ApiError(401, 'stale_delivery', stale);
      }
      c.set('webhookBody', body);
      await next();
    });
  };
}
