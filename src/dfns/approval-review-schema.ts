import { z } from 'zod';
import { dfnsApprovalSchema } from './approval-schema';
import { dfnsTransferSchema } from './transfer-schema';

/**
 * A Dfns approval as the approver tools read it from Get/List Approvals: an approver decides on the activity,
 * so unlike a webhook snapshot it must name one.
 */
export const dfnsApprovalForReviewSchema = dfnsApprovalSchema.extend({
  activity: z.looseObject({ kind: z.string(), transferRequest: dfnsTransferSchema.optional() }),
});

/** An approval with its activity, as an approver reviews it. */
export type DfnsApprovalForReview = z.infer<typeof dfnsApprovalForReviewSchema>;
