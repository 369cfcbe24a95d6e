import type { Span } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { dfnsRouteTemplate } from '../dfns/dfns-route';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The origin (`https://api.dfns.io`) a node:http request goes to, as the URL API spells it. */
function originOf(options: RequestOptions): string {
  const protocol = options.protocol ?? 'http:';
  const host = options.hostname ?? options.host?.replace(/:\d+$/, '') ?? 'localhost';
  const port = options.port === undefined || options.port === null ? '' : String(options.port);
  const shown = port && port !== DEFAULT_PORT[protocol] ? `:${port}` : '';
  return `${protocol}//${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${shown}`;
}

/** What every Dfns request span carries besides the instrumentation's own: the route, and no user agent. */
const routeAttributes = (path: string) => ({
  'http.route': dfnsRouteTemplate(path),
  'peer.service': 'dfns',
  // A header value: left out like every other (the instrumentations record no other header unless told to).
  'http.user_agent': undefined,
  'user_agent.original': undefined,
});

function nameSpan(span: Span, method = 'GET', path: string): void {
  span.updateName(`${method} ${dfnsRouteTemplate(path)}`);
  span.setAttribute('http.request.method', method);
}

/**
 * The instrumentations of the requests the worker makes to Dfns, and only those: a request to the Dfns API's origin,
 * made inside a traced operation, gets a client span named by method and route template
 * (`POST /wallets/{walletId}/transfers`) with its status. No body and no header value is recorded, so neither the
 * bearer token nor a user-action signature can reach a span. `@dfns/sdk` sends through node-fetch (node:http), so the
 * http instrumentation sees its requests; the undici one sees them should it move to Node's own fetch. Other outbound
 * requests (outcome callbacks to client URLs, which may carry the client's own tokens) and inbound ones are not
 * traced here.
 */
export function dfnsHttpInstrumentations(dfnsBaseUrl: string): Instrumentation[] {
  const origin = new URL(dfnsBaseUrl).origin;
  return [
    new HttpInstrumentation({
      disableIncomingRequestInstrumentation: true,
      ignoreOutgoingRequestHook: (options) => originOf(options) !== origin,
      requireParentforOutgoingSpans: true,
      startOutgoingSpanHook: (options) => routeAttributes(options.path ?? '/'),
      requestHook: (span, request) => {
        const outgoing = request as ClientRequest;
        nameSpan(span, outgoing.method, outgoing.path);
      },
      responseHook: (span, response) => {
        const status = (response as IncomingMessage).statusCode;
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
      },
    }),
    new UndiciInstrumentation({
      ignoreRequestHook: (request) => request.origin !== origin,
      requireParentforSpans: true,
      startSpanHook: (request) => routeAttributes(request.path),
      requestHook: (span, request) => nameSpan(span, request.method, request.path),
    }),
  ];
}
