import { fundWallet, grantBootstrapRoles } from '../bootstrap/bootstrap-fixtures';
import type { ChainClock } from '../chain/chain-clock';
import { noFaults } from '../faults/fault-schema';
import type { PriceTable } from '../policies/price-table';
import type { RateLimiter } from '../faults/rate-limiter';
import type { RequestCounter } from './request-counter';
import type { Scheduler } from '../chain/scheduler';
import type { StateStore } from '../state/state-store';
import { rescaleDueTime, type TimeControl } from '../state/time-control';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { DeliveryLog } from '../webhooks/delivery-log';
import type { UserActions } from '../auth/user-actions';

/** What the admin knobs reach into. */
export interface SandboxAdminDeps {
  store: StateStore;
  scheduler: Scheduler;
  time: TimeControl;
  chain: Pick<ChainClock, 'resume' | 'mine'>;
  dispatcher: Pick<WebhookDispatcher, 'resume' | 'reset'>;
  approvals: { resume(): void };
  counter: RequestCounter;
  limiter: RateLimiter;
  deliveryLog: Pick<DeliveryLog, 'clear'>;
  userActions: Pick<UserActions, 'clearAccepted'>;
  /** The price table a reset restores (defaults merged with the `prices` option). */
  initialPrices: PriceTable;
}

/** Runtime knobs behind `/_sandbox/*` that touch more than one part of the sandbox. */
export function createSandboxAdmin(deps: SandboxAdminDeps) {
  const { store, time } = deps;
  const { state } = store;

  const rearm = () => {
    deps.chain.resume();
    deps.dispatcher.resume();
    deps.approvals.resume();
  };

  return {
    /**
     * Changes the time scale; every pending wait (chain steps, webhook retries, approval expiries)
     * keeps its remaining simulated time, so it shrinks or grows with the new scale.
     */
    setTimeScale(scale: number): void {
      const ratio = time.setScale(scale);
      const now = time.now();
      for (const record of state.transfers) {
        if (record.nextStepAt !== null) record.nextStepAt = rescaleDueTime(record.nextStepAt, now, ratio);
      }
      for (const job of state.deliveries) job.dueAt = rescaleDueTime(job.dueAt, now, ratio);
      for (const approval of state.approvals) {
        if (approval.status !== 'Pending' || approval.expiresAt === null) continue;
        approval.expiresAt = rescaleDueTime(approval.expiresAt, now, ratio);
        approval.expirationDate = new Date(approval.expiresAt).toISOString();
      }
      store.changed();
      rearm();
    },

    /** Lets a stalled broadcast be mined after all (within a block); false when no Broadcasted transfer has the id. */
    mine(transferId: string): boolean {
      const record = state.transfers.find((candidate) => candidate.transfer.id === transferId);
      if (record?.transfer.status !== 'Broadcasted') return false;
      deps.chain.mine(record);
      return true;
    },

    /**
     * Forgets transfers, replacement transactions, wallet history, approvals, policies, webhook events and pending
     * deliveries, faults, request counts, the raw delivery log, the accepted user-action log and the rate-limit window;
     * restores bootstrap balances,
     * nonces, empty tags, active bootstrap fee sponsors, the bootstrap identities' roles and the starting price table;
     * drops webhooks other than the
     * bootstrap one and fee sponsors other than the bootstrap ones.
     * Identities, wallets and the bootstrap webhook (with its secret) are kept.
     */
    reset(): void {
      deps.scheduler.clear();
      deps.dispatcher.reset();
      const keep = new Set(state.bootstrap.walletIds);
      state.wallets = state.wallets.filter((wallet) => keep.has(wallet.id));
      for (const wallet of state.wallets) {
        fundWallet(wallet);
        wallet.tags = [];
      }
      // Bootstrap sponsors come back Active; sponsors of dropped wallets go with them.
      state.feeSponsors = state.feeSponsors.filter((sponsor) => keep.has(sponsor.walletId));
      for (const sponsor of state.feeSponsors) sponsor.status = 'Active';
      state.webhooks = state.webhooks.filter((webhook) => webhook.id === state.bootstrap.webhookId);
      Object.assign(state, {
        transfers: [],
        transactions: [],
        history: [],
        approvals: [],
        policies: [],
        webhookEvents: [],
        deliveries: [],
        permissionGrants: {},
        permissions: [],
        faults: noFaults(),
        prices: { ...deps.initialPrices },
      });
      grantBootstrapRoles(state);
      deps.counter.reset();
      deps.limiter.reset();
      deps.deliveryLog.clear();
      deps.userActions.clearAccepted();
      store.changed();
    },
  };
}

/** The admin knobs. */
export type SandboxAdmin = ReturnType<typeof createSandboxAdmin>;
