import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './payments-api-types';

/** The payments API's typed HTTP client: every path, parameter, body and answer typed from the committed contract. */
export type PaymentsApiClient = Client<paths>;
/** A payment as the API returns it. */
export type ApiPayment = components['schemas']['Payment'];
/** A payment's body for `POST /v1/payments` (the idempotency key travels as a header). */
export type ApiPaymentRequest = components['schemas']['PaymentRequest'];
/** The RFC 9457 problem document every error is. */
export type ApiProblem = components['schemas']['Problem'];

/**
 * Creates the typed client for services that reach payments over HTTP (beside PaymentClient, which talks to Temporal
 * directly). Example: `api.POST('/v1/payments', { params: { header: { 'idempotency-key': 'payout-1' } }, body })`.
 */
export function createPaymentsApiClient(options: {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}): PaymentsApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
