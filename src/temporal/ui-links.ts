import { PAYMENT_STATUSES, type PaymentStatus } from '../contracts/payment-status';
import { PaymentStatusKey } from '../contracts/search-attributes';
import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';

/** Where the Temporal Web UI is and which namespace it shows. */
export interface TemporalUi {
  url: string;
  namespace: string;
}

/** A saved view of the Temporal UI's workflow list: a name and its visibility query (its filter). */
export interface UiView {
  name: string;
  filter: string;
}

/** Every payment, newest first: the list operators start from. */
export const PAYMENTS_VIEW: UiView = { name: 'Payments', filter: PAYMENT_WORKFLOWS_CLAUSE };

/** One view per payment status: the Temporal UI shows a payment that ended Failed as a completed workflow. */
export const PAYMENT_STATUS_VIEWS: readonly UiView[] = PAYMENT_STATUSES.map((status: PaymentStatus) => ({
  name: `Payments: ${status}`,
  filter: `${PAYMENT_WORKFLOWS_CLAUSE} AND ${PaymentStatusKey.name} = '${status}'`,
}));

/**
 * The UI's workflow list filtered by a view's query. With `save`, opening the link also keeps the view among the
 * browser's saved views under its name (the UI's own share link, `savedQuery`; the UI stores saved views in the
 * browser, so each browser saves them once, and opening the link again saves another copy).
 */
export function workflowListUrl(ui: TemporalUi, view: UiView, options: { save?: boolean } = {}): string {
  const list = `${ui.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows`;
  const save = options.save ? `&savedQuery=${encodeURIComponent(view.name)}` : '';
  return `${list}?query=${encodeURIComponent(view.filter)}${save}`;
}

/** A payment's page in the UI. */
export function workflowUrl(ui: TemporalUi, workflowId: string): string {
  return `${ui.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
