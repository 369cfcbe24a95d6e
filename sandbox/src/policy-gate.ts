import type { TransferRequest } from './state';

/** What policy evaluation decided for a transfer leaving `Pending`. */
export type PolicyDecision =
  | { outcome: 'Approved' }
  | { outcome: 'Rejected'; reason: string }
  /** Waiting on people: the transfer stays Pending until the approval engine resumes it. */
  | { outcome: 'Pending'; approvalId: string };

/** The seam where the v2 policy engine (reference §3.4) will plug in. */
export type PolicyGate = (transfer: TransferRequest) => PolicyDecision;

/** v1: no policies exist, and with no policies Dfns allows everything (reference §3.4). */
export const allowAllPolicies: PolicyGate = () => ({ outcome: 'Approved' });
