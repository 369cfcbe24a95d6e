import { isPaymentId } from '../contracts/payment-id';
import {
  OperatorActionRefusedError,
  PaymentConflictError,
  PaymentNotFoundError,
  PaymentValidationError,
} from '../client/payment-errors';
import { createPaymentsApiClient, type ApiProblem } from '../client/payments-api-client';
import { UsageError } from './run-cli';
import { ApiAccessError, UnavailableError, type PaymentsGateway, type ShownListItem } from './payments-gateway';

/** Turns an API problem document into the error the CLI reports (and its exit code). */
function refusal(status: number, problem: ApiProblem | undefined, paymentId?: string): Error {
  const detail = problem?.detail ?? `HTTP ${status}`;
  if (status === 400 || status === 413 || status === 415) {
    return problem?.errors
      ? new PaymentValidationError(problem.errors)
      : new UsageError(`the API refused the request: ${detail}`);
  }
  if (status === 401 || status === 403 || status === 429)
    return new ApiAccessError(`the API refused the key: ${detail}`);
  if (status === 404) return new PaymentNotFoundError(paymentId ?? '(unknown)');
  if (status === 409) return new OperatorActionRefusedError(paymentId ?? '(unknown)', detail);
  if (status === 422) return new PaymentConflictError(paymentId ?? '(unknown)');
  return new UnavailableError(`the API failed: ${detail}`);
}

/** The CLI through the payments API, with the key from PAYMENTS_API_KEY; payments are named by their ids. */
export function apiGateway(baseUrl: string, apiKey: string | undefined): PaymentsGateway {
  if (!apiKey) throw new UsageError('--api needs PAYMENTS_API_KEY (an API key from `payments mint-key`)');
  const api = createPaymentsApiClient({ baseUrl, apiKey });
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new UnavailableError(`cannot reach the API at ${baseUrl}: ${(error as Error).message}`);
    }
  };
  return {
    paymentId(idOrKey) {
      if (isPaymentId(idOrKey)) return idOrKey;
      throw new UsageError(`with --api, name the payment by its id (payment:<client>:<key>), not "${idOrKey}"`);
    },
    async start(request) {
      const { idempotencyKey, ...body } = request;
      const { data, error, response } = await call(() =>
        api.POST('/v1/payments', { params: { header: { 'idempotency-key': idempotencyKey } }, body }),
      );
      if (!data) throw refusal(response.status, error, idempotencyKey);
      return { paymentId: data.paymentId, created: response.status === 201 };
    },
    async get(paymentId) {
      const { data, error, response } = await call(() =>
        api.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } }),
      );
      if (!data) throw refusal(response.status, error, paymentId);
      return data;
    },
    async waitForChange(paymentId, seen, waitMs) {
      const wait = String(Math.min(Math.max(Math.ceil(waitMs / 1_000), 1), 60));
      const { data, error, response } = await call(() =>
        api.GET('/v1/payments/{id}', { params: { path: { id: paymentId }, query: { after: String(seen), wait } } }),
      );
      if (response.status === 204) return undefined; // no change within the wait
      if (!data) throw refusal(response.status, error, paymentId);
      return data;
    },
    async list(options) {
      // The API pages by at most 100; follow its cursor until the CLI's limit is reached.
      const items: ShownListItem[] = [];
      let cursor: string | undefined;
      do {
        const query = {
          limit: String(Math.min(options.limit - items.length, 100)),
          ...(options.status ? { status: options.status } : {}),
          ...(options.stuck ? { stuck: 'true' as const } : {}),
          ...(cursor ? { cursor } : {}),
        };
        const { data, error, response } = await call(() => api.GET('/v1/payments', { params: { query } }));
        if (!data) throw refusal(response.status, error);
        items.push(...data.items);
        cursor = data.nextCursor;
      } while (cursor && items.length < options.limit);
      return items;
    },
    async act(action, paymentId, request) {
      const path = `/v1/payments/{id}/${action}` as const;
      const body = request.reason ? { reason: request.reason } : {};
      const { data, error, response } = await call(() =>
        api.POST(path, { params: { path: { id: paymentId } }, body: body as { reason: string } }),
      );
      if (!data) throw refusal(response.status, error, paymentId);
      if ('status' in data) return { status: data.status, message: data.message };
      // 202: accepted and still at work; the payment's status as it stands.
      const read = await call(() => api.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } }));
      if (!read.data) throw refusal(read.response.status, read.error, paymentId);
      return { status: read.data.status, message: data.message };
    },
    close: () => Promise.resolve(),
  };
}
