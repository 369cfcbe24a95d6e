import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../contracts/failure-types';
import type { PaymentRequest } from '../contracts/payment-request';
import type { PoolDefinition } from '../contracts/pool-definition';
import type { ClientBindings } from './client-bindings';
import { payerProblems } from './payer-problems';

/** Who a payment pays for, as its workflow tells an activity: its client, absent for a payment without one. */
export interface Payer {
  clientId?: string;
}

/** What the worker checks a payer against: the clients file and the pools file, as loaded. */
export interface PayerCheckDeps {
  clients: ClientBindings;
  pools: readonly PoolDefinition[];
}

const whose = (clientId: string | undefined) =>
  clientId === undefined ? 'a payment without a client' : `client "${clientId}"`;

/**
 * Refuses, before any Dfns call, a payment whose client may not pay from the wallet or pool it names, or whose pool
 * chose a wallet the pool does not hold: a non-retryable WalletNotBound failure. `attempt` is the activity attempt,
 * which the workflow reads like a Dfns refusal's (a refusal on a retry cannot say nothing was sent before).
 */
export function refuseUnboundPayer(
  deps: PayerCheckDeps,
  clientId: string | undefined,
  request: Pick<PaymentRequest, 'walletId' | 'pool'>,
  attempt: number | undefined,
): void {
  const [problem] = payerProblems(request, deps.clients.of(clientId), deps.pools);
  if (!problem) return;
  const message =
    problem.field === 'pool'
      ? `${whose(clientId)} may not pay from pool ${request.pool} (PAYMENT_CLIENTS_FILE)`
      : request.pool === undefined
        ? `${whose(clientId)} may not pay from wallet ${request.walletId} (PAYMENT_CLIENTS_FILE)`
        : `wallet ${request.walletId} is not a wallet of pool ${request.pool} (PAYMENT_POOLS_FILE)`;
  throw ApplicationFailure.create({
    message,
    type: FailureType.WalletNotBound,
    nonRetryable: true,
    details: [attempt === undefined ? {} : { attempt }],
  });
}
