import { ApplicationFailure } from '@temporalio/common';
import type { PaymentOutcome } from '../src/contracts/payment-messages';
import { signCallback, CALLBACK_SIGNATURE_HEADER } from '../src/client/callback-signature';

/** What the callback activity needs: the signing secret (absent = callbacks are not configured). */
export interface CallbackActivityDeps {
  secret?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Creates the outcome-callback activity. */
export function createCallbackActivities({ secret, fetch: send = fetch, now = Date.now }: CallbackActivityDeps) {
  return {
    /** POSTs the signed outcome to the service's URL; any answer but 2xx is retried by Temporal with backoff. */
    async sendOutcomeCallback({ url, outcome }: { url: string; outcome: PaymentOutcome }): Promise<{ status: number }> {
      if (!secret)
        throw ApplicationFailure.nonRetryable(
          'CALLBACK_SIGNING_SECRET is not configured on the worker',
          'CallbackNotConfigured',
        );
      const body = JSON.stringify({ type: 'payment.outcome', paymentId: outcome.paymentId, outcome });
      const response = await send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLBACK_SIGNATURE_HEADER]: signCallback(body, secret, Math.floor(now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status < 200 || response.status > 299) {
        throw ApplicationFailure.retryable(
          `callback to ${new URL(url).origin} answered ${response.status}`,
          'CallbackRefused',
        );
      }
      return { status: response.status };
    },
  };
}

/** The callback activity functions, as the workflow proxies them. */
export type CallbackActivities = ReturnType<typeof createCallbackActivities>;
