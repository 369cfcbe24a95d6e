import { Context } from '@temporalio/activity';
import type { Payer } from '../src/clients/payer-check';
import { clientOfPaymentId } from '../src/contracts/payment-id';

/**
 * The client an activity pays for: the one its payment workflow sent. An activity scheduled by workflow code older
 * than the binding check carries none, and is paid for the client its payment id names (API and batch payments name
 * theirs; `payment:<key>` names none). An activity no workflow scheduled, or a call outside an activity (unit tests),
 * has no client unless it says so.
 */
export function payerClientId(payer: Payer | undefined): string | undefined {
  if (payer !== undefined) return payer.clientId;
  try {
    const scheduledBy = Context.current().info.workflowExecution;
    return scheduledBy ? clientOfPaymentId(scheduledBy.workflowId) : undefined;
  } catch {
    return undefined;
  }
}

/** The current activity attempt, or undefined when called outside an activity (unit tests). */
export function activityAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}
