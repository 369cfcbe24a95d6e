import type { Config } from './config';
import type { PaymentTimings } from './contracts/payment-messages';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** Each timing an operator may set through the environment, with the variable and its unit. */
const FROM_ENVIRONMENT = [
  ['firstPollAfterMs', 'PAYMENT_FIRST_POLL_SECONDS', SECOND],
  ['maxPollIntervalMs', 'PAYMENT_MAX_POLL_INTERVAL_SECONDS', SECOND],
  ['approvalFirstPollMs', 'PAYMENT_APPROVAL_FIRST_POLL_SECONDS', SECOND],
  ['approvalFastPollMs', 'PAYMENT_APPROVAL_FAST_POLL_SECONDS', SECOND],
  ['approvalFastWindowMs', 'PAYMENT_APPROVAL_FAST_WINDOW_MINUTES', MINUTE],
  ['approvalPollIntervalMs', 'PAYMENT_APPROVAL_POLL_MINUTES', MINUTE],
  ['maxApprovalPollIntervalMs', 'PAYMENT_MAX_APPROVAL_POLL_MINUTES', MINUTE],
] as const satisfies readonly (readonly [keyof PaymentTimings, keyof Config, number])[];

/**
 * The polling timings set in the environment, for the starters to put in each new payment's input. Only the ones
 * set are returned: the rest stay the workflow's defaults, so an unset environment changes nothing.
 */
export function paymentTimingsFromConfig(config: Config): Partial<PaymentTimings> | undefined {
  const timings: Partial<Record<keyof PaymentTimings, number>> = {};
  for (const [timing, variable, unit] of FROM_ENVIRONMENT) {
    const value = config[variable];
    if (value !== undefined) timings[timing] = value * unit;
  }
  return Object.keys(timings).length > 0 ? (timings as Partial<PaymentTimings>) : undefined;
}
