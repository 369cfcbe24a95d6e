import type { DfnsApiClient } from '@dfns/sdk';

type CreatePolicyBody = Parameters<DfnsApiClient['policies']['createPolicy']>[0]['body'];

/** A resolved payment policy exactly as `createPolicy` and `updatePolicy` take it (reference §3.2). */
export type PolicyBody = Extract<CreatePolicyBody, { activityKind: 'Wallets:Sign' }>;

/** What one policy file asks the org to hold, placeholders filled in. */
export interface DesiredPolicySet {
  set: string;
  version: number;
  policies: PolicyBody[];
}

/** The name prefix that marks an org policy as belonging to a set. */
export function setPrefix(set: string): string {
  return `${set}: `;
}
