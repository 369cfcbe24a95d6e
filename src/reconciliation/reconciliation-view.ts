import { isClientPaymentId } from '../contracts/payment-id';
import type { FindingBook } from '../contracts/reconciliation-findings';
import type { ReconciliationState } from '../contracts/reconciliation-messages';

/** A reconciliation as the API and the CLI show it: the finding book flattened into its fields. */
export type ReconciliationView = Omit<ReconciliationState, 'book'> & FindingBook;

/** The view of a reconciliation's state. */
export function viewOf(state: ReconciliationState): ReconciliationView {
  const { book, ...rest } = state;
  return { ...rest, ...book };
}

/**
 * What a client may see of a reconciliation of its wallets: every finding about the wallets themselves (an unmatched
 * transfer, a drift), and those about payments only when the payment is the client's. A wallet bound to two clients
 * never shows one client's payments to the other.
 */
export function reconciliationFor(state: ReconciliationState, clientId: string): ReconciliationState {
  const findings = state.book.findings.filter(
    (finding) => finding.paymentId === undefined || isClientPaymentId(finding.paymentId, clientId),
  );
  return { ...state, book: { ...state.book, findings } };
}
