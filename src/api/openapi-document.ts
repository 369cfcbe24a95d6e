import type { OpenAPIHono } from '@hono/zod-openapi';
import { API_SCOPES } from './api-keys';
import type { ApiEnv } from './api-key-auth';

/** The document's fixed parts; the paths come from the route declarations. */
export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Payments API',
    version: '1.0.0',
    description:
      'Outbound crypto and stablecoin payments through Dfns, each one a durable Temporal workflow. Amounts are ' +
      "integer strings in the asset's minimum units. Errors are RFC 9457 problem documents whose `errors` name " +
      `each bad field. API keys carry scopes: ${API_SCOPES.join(', ')}.`,
  },
  servers: [{ url: '/' }],
};

/** Declares the bearer scheme the routes name in `security`. */
export function registerSecurityScheme(app: OpenAPIHono<ApiEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key minted with `payments mint-key`: Authorization: Bearer pk_…',
  });
}

/** The OpenAPI 3.1 document the routes declare, as served at /openapi.json and committed as openapi.json. */
export function openApiDocument(app: OpenAPIHono<ApiEnv>) {
  const document = app.getOpenAPI31Document(OPENAPI_CONFIG);
  // POST /v1/batches reads its body itself (JSON or CSV), so its route cannot declare the body required without the
  // JSON validator refusing CSV; the contract still says what the route enforces (415 without a body).
  const startBatch = document.paths?.['/v1/batches']?.post?.requestBody;
  if (startBatch && 'content' in startBatch) startBatch.required = true;
  return document;
}
