// The clients file of a local stack on the Dfns sandbox (npm run dev, chaos, bench, Schemathesis): the sandbox's
// wallets, and the pools the stack uses, bound by name to the stack's clients and to payments without a client.
import { writeFileSync } from 'node:fs';
import type { ClientsFileInput } from '../src/clients/clients-file-schema';
import { parseClientsFile } from '../src/clients/load-clients-file';

/** Who a local stack binds, and to what. */
export interface SandboxBinding {
  /** The clients (as their API keys name them) that may pay from `wallets` and `pools`. */
  clientIds: readonly string[];
  /** The sandbox's wallets: every one its bootstrap made. */
  walletIds: readonly string[];
  /** Pools of the stack's pools file, when it has one. */
  pools?: readonly string[];
  /** Whether payments without a client (the CLI and PaymentClient without a client id) may pay from them too. */
  withoutClient: boolean;
}

/** The clients file binding a local stack's sandbox wallets, validated against the schema before it is written. */
export function sandboxClientsFile(binding: SandboxBinding): ClientsFileInput {
  const payFrom = { wallets: [...new Set(binding.walletIds)], pools: [...(binding.pools ?? [])] };
  const file: ClientsFileInput = {
    version: 1,
    description: 'Written at start-up: the Dfns sandbox wallets of this local stack, bound to its clients.',
    clients: binding.clientIds.map((id) => ({ id, ...payFrom })),
    ...(binding.withoutClient ? { withoutClient: payFrom } : {}),
  };
  parseClientsFile(file, 'the local stack clients file');
  return file;
}

/** Writes sandboxClientsFile(binding) to `path`, for PAYMENT_CLIENTS_FILE. */
export function writeSandboxClientsFile(path: string, binding: SandboxBinding): void {
  writeFileSync(path, `${JSON.stringify(sandboxClientsFile(binding), null, 2)}\n`);
}
