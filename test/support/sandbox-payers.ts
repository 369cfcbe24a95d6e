import { clientBindings } from '../../src/clients/client-bindings';
import type { PayerCheckDeps } from '../../src/clients/payer-check';

/**
 * The bindings of an activity test on the sandbox: payments without a client (the activities are called outside a
 * workflow, with no payer) may pay from every wallet of the sandbox's bootstrap.
 */
export function sandboxPayers(bootstrap: { walletId: string; wallets?: { walletId: string }[] }): PayerCheckDeps {
  const wallets = [bootstrap.walletId, ...(bootstrap.wallets ?? []).map((wallet) => wallet.walletId)];
  const withoutClient = { wallets: [...new Set(wallets)], pools: [] };
  return { clients: clientBindings({ version: 1, clients: [], withoutClient }), pools: [] };
}
