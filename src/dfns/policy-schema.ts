import type { DfnsApiClient } from '@dfns/sdk';
import { z } from 'zod';

/** The fields of a Dfns policy (List Policies items) that a policy plan compares; rule, action and filters as data. */
export const dfnsPolicySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.string().optional(),
  activityKind: z.string(),
  rule: z.unknown(),
  action: z.unknown(),
  filters: z.unknown().optional(),
  dateCreated: z.string().optional(),
  pendingChangeRequest: z
    .looseObject({
      id: z.string(),
      status: z.string(),
      approvalId: z.string().optional(),
      body: z.unknown().optional(),
    })
    .optional(),
});

/** A policy as the org holds it. */
export type DfnsPolicy = z.infer<typeof dfnsPolicySchema>;

type CreatePolicyBody = Parameters<DfnsApiClient['policies']['createPolicy']>[0]['body'];

/** A payment policy exactly as `createPolicy` and `updatePolicy` take it: one that governs `Wallets:Sign`. */
export type DfnsPolicyBody = Extract<CreatePolicyBody, { activityKind: 'Wallets:Sign' }>;
