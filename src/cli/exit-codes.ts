/** The `payments` CLI's exit codes; `--help` and docs/cli.md list them. */
export const EXIT = {
  /** Done; for `pay` (following) and `wait`: the payment ended Confirmed. */
  ok: 0,
  /** Bad input, usage or configuration; the message names the flag or variable (for `batch`: every bad row). */
  usage: 1,
  /**
   * The payment ended without being confirmed: Failed, Rejected or Cancelled; for `batch`: some row did; for
   * `reconcile`: findings are open.
   */
  notConfirmed: 2,
  /** Refused: the key was used for another request, no such payment, or the payment's state refuses the action. */
  refused: 3,
  /** Temporal or the API cannot be reached, or the API failed (5xx). */
  unavailable: 4,
  /** The API refused the key: missing, unknown, lacking a scope, or rate-limited. */
  unauthorized: 5,
} as const;

/** The exit codes as `--help` shows them. */
export const EXIT_CODES_HELP = `exit codes:
  0  done; for pay (following) and wait: the payment ended Confirmed
  1  bad input, usage or configuration (the message names the flag or variable; for batch, every bad row)
  2  the payment ended without being confirmed (Failed, Rejected, Cancelled); for batch: some row did;
     for reconcile: findings are open
  3  refused: key already used for another request, no such payment (or reconciliation, or finding), or the
     action is not allowed now
  4  Temporal or the API cannot be reached, or the API failed
  5  the API refused the key (missing, unknown, lacking a scope, rate-limited)`;
