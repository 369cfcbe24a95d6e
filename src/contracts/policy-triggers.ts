import { FailureType } from './failure-types';
import type { AlertLevel, PolicyCheck, PolicyOutcome, PolicyUpdate } from './policy-update';

/** At most this many triggered policies are kept per payment; more are noted in the timeline only. */
export const MAX_POLICY_TRIGGERS = 20;

/** One policy of the org that triggered on one attempt's transfer: what it checked, what it did, what it found. */
export interface PolicyTrigger {
  attempt: number;
  externalId: string;
  /** The provider's evaluation id; a redelivered webhook carries the same one and is recorded once. */
  evaluationId: string;
  check: PolicyCheck;
  outcome: PolicyOutcome;
  policyId?: string;
  policyName?: string;
  alertLevel?: AlertLevel;
  category?: string;
  exposure?: 'direct' | 'indirect';
  reason?: string;
  /** When the provider evaluated it. */
  at: string;
}

/** The part of a payment's state this file reads and writes. */
interface BlockState {
  status: string;
  attempt: number;
  approvalId?: string;
  reason?: string;
  failureType?: string;
  policyTriggers?: PolicyTrigger[];
}

/** The trigger from an update, for `attempt`. */
export function toPolicyTrigger(update: PolicyUpdate, attempt: number): PolicyTrigger {
  const trigger: PolicyTrigger = {
    attempt,
    externalId: update.externalId,
    evaluationId: update.evaluationId,
    check: update.check,
    outcome: update.outcome,
    at: update.eventTime,
  };
  for (const field of ['policyId', 'policyName', 'alertLevel', 'category', 'exposure', 'reason'] as const) {
    if (update[field] !== undefined) Object.assign(trigger, { [field]: update[field] });
  }
  return trigger;
}

/** "screening SEVERE (sanctions, direct exposure)": what a trigger found, in words. */
export function describeTrigger(trigger: PolicyTrigger): string {
  const what =
    trigger.check === 'screening' ? 'KYT screening' : trigger.check === 'travelRule' ? 'Travel Rule' : 'policy';
  const facts = [trigger.category, trigger.exposure && `${trigger.exposure} exposure`].filter(Boolean);
  const level = trigger.alertLevel ? ` alert ${trigger.alertLevel}` : '';
  const policy = trigger.policyName ? ` "${trigger.policyName}"` : '';
  const did =
    trigger.outcome === 'blocked'
      ? 'blocked the transfer'
      : trigger.outcome === 'approvalRequired'
        ? 'requested approval'
        : 'took no action';
  return `${what}${level}${facts.length ? ` (${facts.join(', ')})` : ''}${policy} ${did}`;
}

/** The current attempt's triggers. */
export const currentTriggers = (state: BlockState): PolicyTrigger[] =>
  (state.policyTriggers ?? []).filter((trigger) => trigger.attempt === state.attempt);

/**
 * The compliance checks (screening, Travel Rule) that asked for the current attempt's approval: while the payment
 * awaits approval, it awaits the compliance group.
 */
export const complianceReviews = (state: BlockState): PolicyTrigger[] =>
  currentTriggers(state).filter((trigger) => trigger.outcome === 'approvalRequired' && trigger.check !== 'policy');

/** The trigger that blocked the current attempt, compliance checks first; undefined while none is known. */
export function blockingTrigger(state: BlockState): PolicyTrigger | undefined {
  const blocks = currentTriggers(state).filter((trigger) => trigger.outcome === 'blocked');
  return (
    blocks.find((trigger) => trigger.check === 'screening') ??
    blocks.find((trigger) => trigger.check === 'travelRule') ??
    blocks[0]
  );
}

/** Whether the payment was rejected by a policy Block (not an approver): Rejected, with no approval. */
export const rejectedByBlock = (state: BlockState): boolean => state.status === 'Rejected' && !state.approvalId;

/**
 * Names what blocked a Rejected payment once its policy trigger is known: KYT screening (ScreeningBlocked, with the
 * alert level), the Travel Rule (TravelRuleRefused), or another policy (PolicyBlocked). The provider's reason is
 * kept after the finding. Returns the state unchanged when nothing is to be said, or it was said already.
 */
export function explainBlock<S extends BlockState>(state: S): S {
  if (!rejectedByBlock(state)) return state;
  if (state.failureType !== undefined && state.failureType !== FailureType.PolicyBlocked) return state;
  const trigger = blockingTrigger(state);
  if (!trigger) return state;
  if (trigger.check === 'policy') {
    return state.failureType === undefined ? { ...state, failureType: FailureType.PolicyBlocked } : state;
  }
  const failureType = trigger.check === 'screening' ? FailureType.ScreeningBlocked : FailureType.TravelRuleRefused;
  const said = state.reason ?? trigger.reason;
  return { ...state, failureType, reason: `${describeTrigger(trigger)}${said ? `: ${said}` : ''}` };
}
