import { ApplicationFailure } from '@temporalio/common';
import { CallbackFailureType } from '../src/contracts/failure-types';
import type { PaymentOutcome } from '../src/contracts/payment-messages';
import { signCallback, CALLBACK_SIGNATURE_HEADER } from '../src/client/callback-signature';
import { CallbackAddressRefused } from '../src/callbacks/callback-connector';
import { createCallbackSender, type CallbackSender } from '../src/callbacks/callback-sender';
import { callbackPolicy, callbackUrlProblem, type CallbackPolicy } from '../src/callbacks/callback-url-policy';

/** What the callback activity needs: the signing secret (absent = callbacks are not configured) and where they may go. */
export interface CallbackActivityDeps {
  secret?: string;
  /** Where callbacks may go (https public hosts only when not given). */
  policy?: CallbackPolicy;
  /** Sends through the checked connector; built from the policy when not given (tests inject resolvers and limits). */
  sender?: CallbackSender;
  now?: () => number;
}

/** What the workflow asks the callback activity to deliver; `clientId` picks the client's callback hosts. */
export interface OutcomeCallbackInput {
  url: string;
  outcome: PaymentOutcome;
  clientId?: string;
}

/** The refusal behind an error, however deep undici wrapped it. */
function addressRefusalIn(error: unknown): CallbackAddressRefused | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof CallbackAddressRefused) return cause;
  }
  return undefined;
}

/** Creates the outcome-callback activity. */
export function createCallbackActivities({
  secret,
  policy = callbackPolicy(),
  sender = createCallbackSender({ insecureHosts: policy.insecureHosts }),
  now = Date.now,
}: CallbackActivityDeps) {
  return {
    /**
     * POSTs the signed outcome to the service's URL. A URL or address the policy refuses fails for good
     * (CallbackBlocked); any answer but 2xx, a redirect included, is retried by Temporal with backoff.
     */
    async sendOutcomeCallback({ url, outcome, clientId }: OutcomeCallbackInput): Promise<{ status: number }> {
      if (!secret)
        throw ApplicationFailure.nonRetryable(
          'CALLBACK_SIGNING_SECRET is not configured on the worker',
          CallbackFailureType.CallbackNotConfigured,
        );
      // Checked again here: the configuration may have changed since the API accepted it, and Temporal is a way in.
      const problem = callbackUrlProblem(url, policy, clientId);
      if (problem) {
        throw ApplicationFailure.nonRetryable(`callback URL ${problem}`, CallbackFailureType.CallbackBlocked);
      }
      const origin = new URL(url).origin;
      const body = JSON.stringify({ type: 'payment.outcome', paymentId: outcome.paymentId, outcome });
      const headers = {
        'content-type': 'application/json',
        [CALLBACK_SIGNATURE_HEADER]: signCallback(body, secret, Math.floor(now() / 1000)),
      };
      let status: number;
      try {
        ({ status } = await sender.post(url, headers, body));
      } catch (error) {
        const refused = addressRefusalIn(error);
        if (refused) throw ApplicationFailure.nonRetryable(refused.message, CallbackFailureType.CallbackBlocked);
        const why = error instanceof Error ? error.message : String(error);
        throw ApplicationFailure.retryable(
          `callback to ${origin} failed: ${why}`,
          CallbackFailureType.CallbackUnreachable,
        );
      }
      if (status < 200 || status > 299) {
        const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        throw ApplicationFailure.retryable(
          `callback to ${origin} answered ${status}${redirect}`,
          CallbackFailureType.CallbackRefused,
        );
      }
      return { status };
    },
  };
}

/** The callback activity functions, as the workflow proxies them. */
export type CallbackActivities = ReturnType<typeof createCallbackActivities>;
