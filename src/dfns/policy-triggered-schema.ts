import { z } from 'zod';
import { ALERT_LEVELS, type AlertLevel, type PolicyCheck, type PolicyUpdate } from '../contracts/policy-update';
import { dfnsTransferSchema } from './transfer-schema';

/**
 * One Chainalysis alert of a screening result. Dfns publishes "the details of the Chainalysis pre-screening results"
 * in `policy.triggered` (https://docs.dfns.co/integrations/aml-kyt/chainalysis) without documenting their shape; they
 * are read from `policyEvaluation.context` (where an approval's `policyEvaluations[]` carry theirs, @dfns/sdk 0.8.21)
 * in the shape of Chainalysis KYT's withdrawal-attempt alerts (`alertLevel`, `category`, `exposureType`). Every field
 * is optional: without them, the policy's own configured alert level stands in.
 */
const alertSchema = z.looseObject({
  alertLevel: z.string().optional(),
  category: z.string().optional(),
  exposureType: z.string().optional(),
});

/**
 * The `policy.triggered` data (https://docs.dfns.co/api-reference/policies/policy-triggered): the evaluation, the
 * policy that triggered (its rule and action) and the activity it judged. Only these fields are read.
 */
export const dfnsPolicyEvaluationSchema = z.looseObject({
  id: z.string().min(1),
  reason: z.string().optional(),
  date: z.string().optional(),
  policy: z.looseObject({
    id: z.string().optional(),
    name: z.string().optional(),
    rule: z.looseObject({
      kind: z.string().min(1),
      configuration: z
        .looseObject({ alerts: z.looseObject({ alertLevel: z.string().optional() }).optional() })
        .optional(),
    }),
    action: z.looseObject({ kind: z.string().min(1) }),
  }),
  activity: z.looseObject({ kind: z.string().optional(), transferRequest: dfnsTransferSchema.optional() }).optional(),
  context: z.looseObject({ alerts: z.array(alertSchema).optional() }).nullish(),
});

export type DfnsPolicyEvaluation = z.infer<typeof dfnsPolicyEvaluationSchema>;

/** Which check a rule kind runs: the KYT pre-screening rules, the Travel Rule, or anything else. */
function checkOf(ruleKind: string): PolicyCheck {
  if (ruleKind === 'ChainalysisTransactionPrescreening' || ruleKind === 'GlobalLedgerTransactionPrescreening')
    return 'screening';
  return ruleKind === 'TravelRuleTransactionPrescreening' ? 'travelRule' : 'policy';
}

const OUTCOMES: Record<string, PolicyUpdate['outcome']> = {
  Block: 'blocked',
  RequestApproval: 'approvalRequired',
  NoAction: 'noAction',
};

const levelOf = (value: string | undefined): AlertLevel | undefined =>
  ALERT_LEVELS.find((level) => level === value?.toUpperCase());
const rank = (level: AlertLevel | undefined) => (level ? ALERT_LEVELS.indexOf(level) : -1);
const bounded = (text: string | undefined, max: number) => (text === undefined ? undefined : text.slice(0, max));

/**
 * The provider-neutral update for a triggered policy that judged a transfer of ours, or why it is not one. Only the
 * check, its outcome, the highest alert's level, category and exposure, and Dfns's reason are kept: never the
 * addresses, counterparties or anything else a screening result carries.
 */
export function toPolicyUpdate(
  evaluation: DfnsPolicyEvaluation,
  origin: { eventKind: string; eventTime: string; deliveryId?: string },
): PolicyUpdate | { ignored: string } {
  const transfer = evaluation.activity?.transferRequest;
  if (!transfer)
    return { ignored: `policy.triggered for ${evaluation.activity?.kind ?? 'an activity'} without a transfer` };
  const externalId = transfer.externalId ?? transfer.requestBody?.externalId;
  if (!externalId) return { ignored: 'policy.triggered for a transfer with no externalId' };
  const outcome = OUTCOMES[evaluation.policy.action.kind];
  if (!outcome) return { ignored: `policy.triggered with action ${evaluation.policy.action.kind}` };
  const check = checkOf(evaluation.policy.rule.kind);
  const alerts = (evaluation.context?.alerts ?? []).filter((alert) => levelOf(alert.alertLevel) !== undefined);
  const top = alerts.reduce<(typeof alerts)[number] | undefined>(
    (best, alert) => (rank(levelOf(alert.alertLevel)) > rank(levelOf(best?.alertLevel)) ? alert : best),
    undefined,
  );
  const configured = levelOf(evaluation.policy.rule.configuration?.alerts?.alertLevel);
  const alertLevel = check === 'screening' ? (levelOf(top?.alertLevel) ?? configured) : undefined;
  const exposure = top?.exposureType?.toUpperCase();
  const update: PolicyUpdate = {
    kind: 'policy',
    source: 'webhook',
    externalId,
    transferId: transfer.id,
    evaluationId: evaluation.id,
    check,
    outcome,
    eventKind: origin.eventKind,
    eventTime: evaluation.date ?? origin.eventTime,
  };
  if (evaluation.policy.id) update.policyId = evaluation.policy.id;
  if (evaluation.policy.name) update.policyName = bounded(evaluation.policy.name, 200);
  if (alertLevel) update.alertLevel = alertLevel;
  if (top?.category) update.category = bounded(top.category, 100);
  if (exposure === 'DIRECT' || exposure === 'INDIRECT') update.exposure = exposure === 'DIRECT' ? 'direct' : 'indirect';
  if (evaluation.reason) update.reason = bounded(evaluation.reason, 500);
  if (origin.deliveryId) update.deliveryId = origin.deliveryId;
  return update;
}
