/**
 * Every failure type the orchestrator raises or branches on. Activities throw ApplicationFailures with these
 * types, retry policies name the non-retryable ones, and workflows branch on `failure.type`, never `instanceof`.
 */
export const FailureType = {
  /** Dfns refused the transfer request itself (bad address, amount, asset): a person must fix the request. */
  InvalidTransfer: 'InvalidTransfer',
  /** The wallet cannot cover the transfer. */
  InsufficientFunds: 'InsufficientFunds',
  /**
   * The fee sponsor the request names cannot pay (unknown, deactivated, on another network, or out of funds): a
   * person must fund or fix the sponsor, or send without one.
   */
  FeeSponsorUnavailable: 'FeeSponsorUnavailable',
  /** Dfns did not accept our credentials (token, signing key). */
  Unauthorized: 'Unauthorized',
  /** Dfns forbade the request (a missing permission): a person must fix the service account. */
  Forbidden: 'Forbidden',
  /** A policy of the org blocked the transfer: the payment ends Rejected, never retried. */
  PolicyBlocked: 'PolicyBlocked',
  /** The wallet or transfer does not exist in this org. */
  NotFound: 'NotFound',
  /** Dfns holds a different request under our externalId. Never retried; a transfer Dfns names is followed. */
  ExternalIdConflict: 'ExternalIdConflict',
  /** The Dfns client is misconfigured locally (no signer, credential not allowed). */
  DfnsMisconfigured: 'DfnsMisconfigured',
  /** The payment names a pool the worker's pools file does not declare, or one of another network or asset. */
  PoolUnavailable: 'PoolUnavailable',
  /**
   * The payment's client may not pay from the wallet or pool it names (PAYMENT_CLIENTS_FILE), or its pool chose a
   * wallet the pool does not hold: refused by the worker before any Dfns call.
   */
  WalletNotBound: 'WalletNotBound',
  /** No wallet of the payment's pool could pay it before the refill window closed. */
  PoolFundsExhausted: 'PoolFundsExhausted',
  /** Transient: network error, 5xx, 429 or an unreadable body. Retried with backoff. */
  DfnsUnavailable: 'DfnsUnavailable',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** The failure types that retrying cannot fix. */
export const NON_RETRYABLE_FAILURE_TYPES: FailureTypeName[] = [
  FailureType.InvalidTransfer,
  FailureType.InsufficientFunds,
  FailureType.FeeSponsorUnavailable,
  FailureType.Unauthorized,
  FailureType.Forbidden,
  FailureType.PolicyBlocked,
  FailureType.NotFound,
  FailureType.ExternalIdConflict,
  FailureType.DfnsMisconfigured,
  FailureType.PoolUnavailable,
  FailureType.WalletNotBound,
];

/**
 * The outcome callback's failure types. None of them fails or holds up the payment: its outcome is final before the
 * callback is sent, and the payment's timeline records what became of the callback.
 */
export const CallbackFailureType = {
  /** The worker has no CALLBACK_SIGNING_SECRET, so it sends no callback. Not retried. */
  CallbackNotConfigured: 'CallbackNotConfigured',
  /**
   * The URL or the address it resolves to is not one callbacks may reach (not https, not public, not among the
   * client's callback hosts). Not retried: the same URL would be refused again.
   */
  CallbackBlocked: 'CallbackBlocked',
  /** The receiver answered something other than 2xx (a redirect included, never followed). Retried with backoff. */
  CallbackRefused: 'CallbackRefused',
  /** No answer: DNS, connection, TLS or the delivery deadline failed. Retried with backoff. */
  CallbackUnreachable: 'CallbackUnreachable',
} as const;
