import type { ApprovalService } from '../approvals/approval-service';
import type { ChainClock } from '../chain/chain-clock';
import { DfnsHttpError } from '../http/errors';
import { newId } from '../state/ids';
import { evaluatePolicies, type PolicyVerdict } from './policy-engine';
import type { Wallet } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { rejectTransfer } from '../chain/transfer-outcomes';
import type { TransferRecord, TransferRequest } from '../wallets/transfer-schema';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/**
 * How a triggered Block surfaces (UNCONFIRMED: Dfns documents `Rejected` as "blocked by policy", a third-party summary
 * says 403).
 */
export type BlockMode = 'rejected-transfer' | 'http-403';

/** What evaluation decided for a new transfer. */
export interface PolicyDecision {
  verdicts: PolicyVerdict[];
  /** The first triggered Block policy; any Block blocks. */
  block?: PolicyVerdict;
  /** Set when triggered RequestApproval policies need people (and nothing blocks): the approval's id, known up front. */
  approvalId?: string;
}

/** What the gate needs. */
export interface PolicyGateDeps {
  store: StateStore;
  time: TimeControl;
  dispatcher: Pick<WebhookDispatcher, 'emit'>;
  approvals: Pick<ApprovalService, 'open'>;
  chain: Pick<ChainClock, 'start'>;
  blockMode: BlockMode;
  /** Divides velocity windows instead of the time scale (see SandboxOptions.velocityWindowScale). */
  velocityWindowScale?: number;
}

/** The reason a blocked transfer carries: it names the policy. */
export function blockedReason(verdict: PolicyVerdict): string {
  return `Blocked by policy "${verdict.policy.name}" (${verdict.policy.id}): ${verdict.reason}`;
}

/**
 * Evaluates policies when a transfer is created (every matching policy, https://docs.dfns.co/core-concepts/policies)
 * and applies the outcome.
 */
export function createPolicyGate(deps: PolicyGateDeps) {
  const { state } = deps.store;
  return {
    /** Evaluates a transfer about to be stored; in `http-403` mode a Block throws before anything is kept. */
    decide(wallet: Wallet, transfer: TransferRequest): PolicyDecision {
      const walletHistory = state.transfers.map((r) => r.transfer).filter((t) => t.walletId === wallet.id);
      const verdicts = evaluatePolicies(state.policies, wallet, {
        transfer,
        walletHistory,
        prices: state.prices,
        screening: state.screening,
        travelRule: state.travelRule,
        nowMs: deps.time.now(),
        windowMs: (minutes) =>
          deps.velocityWindowScale === undefined
            ? deps.time.scaled(minutes * 60_000)
            : (minutes * 60_000) / deps.velocityWindowScale,
      });
      const triggered = verdicts.filter((verdict) => verdict.triggered);
      const block = triggered.find((verdict) => verdict.policy.action.kind === 'Block');
      if (block && deps.blockMode === 'http-403') {
        throw new DfnsHttpError(403, blockedReason(block), { policyId: block.policy.id, reason: block.reason });
      }
      if (block) return { verdicts, block };
      // The id exists before the transfer is stored, so even `wallet.transfer.requested` carries it.
      const needsApproval = triggered.some((verdict) => verdict.policy.action.kind === 'RequestApproval');
      return { verdicts, ...(needsApproval ? { approvalId: newId('ap') } : {}) };
    },
    /** Emits `policy.triggered` per triggered policy, then blocks, opens one approval, or lets the chain start. */
    apply(record: TransferRecord, decision: PolicyDecision): void {
      for (const verdict of decision.verdicts.filter((v) => v.triggered)) {
        const policyEvaluation = {
          id: newId('pe'),
          reason: verdict.reason,
          date: new Date(deps.time.now()).toISOString(),
          policy: verdict.policy,
          activity: { kind: 'Wallets:Sign', transferRequest: record.transfer },
          // Dfns publishes "the details of the Chainalysis pre-screening results" here without a documented shape:
          // the sandbox puts them where an approval's policyEvaluations carry theirs (`context`, @dfns/sdk 0.8.21).
          ...(verdict.context ? { context: verdict.context } : {}),
        };
        deps.dispatcher.emit('policy.triggered', { policyEvaluation });
      }
      if (decision.block) rejectTransfer(deps, record, blockedReason(decision.block));
      else if (decision.approvalId) deps.approvals.open(record, decision.verdicts, decision.approvalId);
      else deps.chain.start(record);
    },
  };
}

/** The policy gate. */
export type PolicyGate = ReturnType<typeof createPolicyGate>;
