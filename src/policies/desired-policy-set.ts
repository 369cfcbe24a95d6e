import type { DfnsPolicyBody } from '../dfns/policy-schema';

/** What one policy file asks the org to hold, placeholders filled in, as Dfns create/update bodies. */
export interface DesiredPolicySet {
  set: string;
  version: number;
  policies: DfnsPolicyBody[];
}

/** The name prefix that marks an org policy as belonging to a set. */
export function setPrefix(set: string): string {
  return `${set}: `;
}
