import { z } from 'zod';
import { checkDecision, isApproverOf, quorumReached } from './approval-decisions';
import type { ApprovalRecord } from './approval-schema';
import type { ChainClock } from '../chain/chain-clock';
import { notFound } from '../http/errors';
import { paginate, PageQuerySchema } from '../http/pagination';
import type { PolicyVerdict } from '../policies/policy-engine';
import type { Scheduler } from '../chain/scheduler';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { markRejected } from '../chain/transfer-outcomes';
import type { TransferRecord } from '../wallets/transfer-schema';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/** `CreateApprovalDecisionBody` of @dfns/sdk: `POST /v2/policy-approvals/{id}/decisions`. */
export const DecisionBodySchema = z.strictObject({
  value: z.enum(['Approved', 'Denied']),
  reason: z.string().optional(),
});

/** `ListApprovalsQuery`. */
export const ListApprovalsQuerySchema = PageQuerySchema.extend({
  status: z.enum(['Pending', 'Approved', 'Denied', 'Expired']).optional(),
  initiatorId: z.string().optional(),
  approverId: z.string().optional(),
});

/** What the approval engine needs. */
export interface ApprovalServiceDeps {
  store: StateStore;
  scheduler: Scheduler;
  time: TimeControl;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  chain: Pick<ChainClock, 'execute'>;
  /** One unit of `autoRejectTimeout` in real ms (60 000 for minutes, 1000 for seconds). */
  timeoutUnitMs: number;
}

/**
 * Creates the approval engine: one Approval per transfer, decisions, expiry
 * (https://docs.dfns.co/core-concepts/policies).
 */
export function createApprovalService(deps: ApprovalServiceDeps) {
  const { store, scheduler, time, dispatcher } = deps;
  const { state } = store;
  const iso = () => new Date(time.now()).toISOString();
  const deciderOf = (userId: string) => ({
    userId,
    isServiceAccount: state.users.find((user) => user.id === userId)?.isServiceAccount ?? false,
  });
  const transferOf = (approval: ApprovalRecord) => state.transfers.find((r) => r.transfer.id === approval.transferId);

  /** The Approval object `GET /v2/policy-approvals/{id}` returns, with the transfer as it is now. */
  const render = (approval: ApprovalRecord) => {
    const { transferId: _t, groups: _g, expiresAt: _e, ...visible } = approval;
    return { ...visible, activity: { kind: 'Wallets:Sign' as const, transferRequest: transferOf(approval)?.transfer } };
  };

  const find = (approvalId: string) => {
    const approval = state.approvals.find((candidate) => candidate.id === approvalId);
    if (!approval) throw notFound('Approval not found', { approvalId });
    return approval;
  };

  const resolve = (approval: ApprovalRecord, status: 'Approved' | 'Denied' | 'Expired', rejection?: string) => {
    Object.assign(approval, { status, dateResolved: iso(), dateUpdated: iso() });
    scheduler.cancel(`approval:${approval.id}`);
    const record = transferOf(approval);
    if (record && status === 'Approved') deps.chain.execute(record);
    // Causal order: the approval resolves, then the transfer is rejected (both snapshots agree).
    if (record && rejection) markRejected(deps, record, rejection);
    dispatcher.emit('policy.approval.resolved', { approval: render(approval) });
    if (record && rejection) dispatcher.emit('wallet.transfer.rejected', { transferRequest: record.transfer });
    store.changed();
  };

  const arm = (approval: ApprovalRecord) => {
    if (approval.status !== 'Pending' || approval.expiresAt === null) return;
    scheduler.at(`approval:${approval.id}`, approval.expiresAt, () => {
      if (approval.status === 'Pending') resolve(approval, 'Expired', 'Approval expired');
    });
  };

  return {
    render,
    /** Opens the approval for a transfer whose RequestApproval policies triggered. */
    open(record: TransferRecord, verdicts: PolicyVerdict[], approvalId: string): ApprovalRecord {
      const groups = verdicts.flatMap(({ policy, triggered }) =>
        triggered && policy.action.kind === 'RequestApproval'
          ? policy.action.approvalGroups.map((group) => ({ policyId: policy.id, group }))
          : [],
      );
      const timeouts = verdicts.flatMap(({ policy, triggered }) =>
        triggered && policy.action.kind === 'RequestApproval' && typeof policy.action.autoRejectTimeout === 'number'
          ? [policy.action.autoRejectTimeout]
          : [],
      );
      // Several timeouts: the earliest one rejects the whole approval.
      const expiresAt = timeouts.length ? time.now() + time.scaled(Math.min(...timeouts) * deps.timeoutUnitMs) : null;
      const approval: ApprovalRecord = {
        id: approvalId,
        initiatorId: record.transfer.requester.userId,
        transferId: record.transfer.id,
        status: 'Pending',
        ...(expiresAt !== null ? { expirationDate: new Date(expiresAt).toISOString() } : {}),
        dateCreated: iso(),
        dateUpdated: iso(),
        policyEvaluations: verdicts.map(({ policy, triggered, reason, context }) => ({
          policyId: policy.id,
          triggered,
          reason,
          ...(context ? { context } : {}),
        })),
        decisions: [],
        groups,
        expiresAt,
      };
      state.approvals.push(approval);
      record.transfer.approvalId = approval.id;
      arm(approval);
      dispatcher.emit('policy.approval.pending', { approval: render(approval) });
      store.changed();
      return approval;
    },
    /** `POST /v2/policy-approvals/{id}/decisions`: records the decision and resolves when it can. */
    decide(approvalId: string, userId: string, body: z.infer<typeof DecisionBodySchema>) {
      const approval = find(approvalId);
      checkDecision(approval, deciderOf(userId), body.value);
      approval.decisions.push({ userId, date: iso(), reason: body.reason ?? null, value: body.value });
      approval.dateUpdated = iso();
      if (body.value === 'Denied') resolve(approval, 'Denied', 'Denied by approver');
      else if (quorumReached(approval, deciderOf)) resolve(approval, 'Approved');
      store.changed();
      return render(approval);
    },
    /** Abort of a transfer pending approval: the approval ends Denied (no decision recorded). */
    abort(approval: ApprovalRecord): void {
      resolve(approval, 'Denied', 'Aborted');
    },
    find,
    get: (approvalId: string) => render(find(approvalId)),
    list(query: z.infer<typeof ListApprovalsQuerySchema>) {
      const items = [...state.approvals]
        .reverse()
        .filter((approval) => query.status === undefined || approval.status === query.status)
        .filter((approval) => query.initiatorId === undefined || approval.initiatorId === query.initiatorId)
        .filter((approval) => query.approverId === undefined || isApproverOf(approval, deciderOf(query.approverId)));
      const page = paginate(items, query, (approval) => approval.id);
      return { ...page, items: page.items.map(render) };
    },
    /** Re-arms pending expiries (after a restart or a time-scale change); overdue ones expire at once. */
    resume(): void {
      for (const approval of state.approvals) arm(approval);
    },
  };
}

/** The approval engine. */
export type ApprovalService = ReturnType<typeof createApprovalService>;
