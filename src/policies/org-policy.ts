import { z } from 'zod';

/** The fields of a Dfns Policy (reference §3.2) the plan compares; rule, action and filters are compared as data. */
export const orgPolicySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.string().optional(),
  activityKind: z.string(),
  rule: z.unknown(),
  action: z.unknown(),
  filters: z.unknown().optional(),
  dateCreated: z.string().optional(),
  pendingChangeRequest: z
    .looseObject({ id: z.string(), status: z.string(), approvalId: z.string().optional(), body: z.unknown().optional() })
    .optional(),
});

/** A policy as the org holds it. */
export type OrgPolicy = z.infer<typeof orgPolicySchema>;
