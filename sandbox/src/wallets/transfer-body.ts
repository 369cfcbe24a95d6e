import { z } from 'zod';
import { evmAddressProblem } from './evm-address';
import type { NetworkInfo } from '../chain/networks';

/** Explains why an address is invalid on some network family, or returns undefined. */
export type AddressCheck = (address: string) => string | undefined;

const ADDRESS_CHECKS: Record<NetworkInfo['family'], AddressCheck> = { evm: evmAddressProblem };

const AMOUNT = z
  .string()
  .regex(
    /^[1-9][0-9]*$/,
    'must be a positive integer string in minimum units (no sign, decimal point or leading zero)',
  );

/**
 * Builds the `TransferAssetBody` schema (https://docs.dfns.co/api-reference/wallets/transfer-asset) for the kinds the
 * sandbox supports.
 */
export function transferBodySchema(checkAddress: AddressCheck) {
  const address = z.string().superRefine((value, ctx) => {
    const problem = checkAddress(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
  const common = {
    to: address,
    amount: AMOUNT,
    priority: z.enum(['Slow', 'Standard', 'Fast']).optional(),
    externalId: z.string().min(1).max(256).optional(),
  };
  // Strict objects: a field the sandbox does not model (memo, feeSponsorId, travelRule…) is a
  // loud 400 rather than a silently ignored instruction.
  return z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('Native'), ...common }),
      z.strictObject({ kind: z.literal('Erc20'), contract: address, ...common }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? 'unsupported transfer kind (the sandbox supports Native, Erc20)' : undefined,
    },
  );
}

/** The body schema for a wallet on `network`, with that family's address rules. */
export function transferBodySchemaFor(network: NetworkInfo) {
  return transferBodySchema(ADDRESS_CHECKS[network.family]);
}

/** Structural schema used to reload stored request bodies from the state file. */
export const StoredTransferBodySchema = transferBodySchema(() => undefined);

/** A validated transfer request body, echoed verbatim as `requestBody`. */
export type TransferBody = z.infer<typeof StoredTransferBodySchema>;
