import { z } from 'zod';
import {
  bitcoinTestnetAddressProblem,
  bitcoinTestnetScript,
  solanaAddressProblem,
  tronAddressProblem,
} from './chain-addresses';
import { evmAddressProblem } from './evm-address';
import { bitcoinDustThreshold, maxAmount } from '../chain/chain-amounts';
import type { NetworkInfo } from '../chain/networks';

const party = z.record(z.string(), z.unknown());

/**
 * The `travelRule` field of every transfer kind (@dfns/sdk's type; https://docs.dfns.co/integrations/travel-rule/notabene):
 * `kind: 'Notabene'`, the beneficiary VASP's DID, an ownership proof, the originator and the beneficiary (IVMS101).
 */
const TravelRuleSchema = z.strictObject({
  kind: z.literal('Notabene'),
  beneficiaryVASPdid: z.string().optional(),
  beneficiaryProof: party.optional(),
  originator: party,
  beneficiary: party,
});

/** Explains why an address is invalid on some network family, or returns undefined. */
export type AddressCheck = (address: string) => string | undefined;

const ADDRESS_CHECKS: Record<NetworkInfo['family'], AddressCheck> = {
  evm: evmAddressProblem,
  tron: tronAddressProblem,
  solana: solanaAddressProblem,
  bitcoin: bitcoinTestnetAddressProblem,
};

/** The transfer kinds Dfns offers on each family, among those the sandbox models. */
export const KINDS_BY_FAMILY: Record<NetworkInfo['family'], readonly TransferBody['kind'][]> = {
  evm: ['Native', 'Erc20'],
  tron: ['Native', 'Trc20'],
  solana: ['Native', 'Spl', 'Spl2022'],
  bitcoin: ['Native'],
};

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
    externalId: z.string().min(1).max(256).optional(),
    feeSponsorId: z.string().min(1).optional(),
    travelRule: TravelRuleSchema.optional(),
  };
  const priority = { priority: z.enum(['Slow', 'Standard', 'Fast']).optional() };
  // Strict objects: a field the sandbox does not model (memo, priority on Tron…) is a loud 400 rather than a silently
  // ignored instruction.
  return z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('Native'), ...common, ...priority }),
      z.strictObject({ kind: z.literal('Erc20'), contract: address, ...common, ...priority }),
      z.strictObject({ kind: z.literal('Trc20'), contract: address, ...common }),
      // SPL Token and Token-2022 mints take the same body (https://docs.dfns.co/networks/solana).
      z.strictObject({
        kind: z.literal('Spl'),
        mint: address,
        createDestinationAccount: z.boolean().optional(),
        ...common,
      }),
      z.strictObject({
        kind: z.literal('Spl2022'),
        mint: address,
        createDestinationAccount: z.boolean().optional(),
        ...common,
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'unsupported transfer kind (the sandbox supports Native, Erc20, Trc20, Spl, Spl2022)'
          : undefined,
    },
  );
}

/**
 * What the chain itself would refuse in a transfer of a valid shape: an amount beyond the type its standard gives
 * it, or (Bitcoin) an output below the dust threshold, which nodes do not relay. Dfns does not publish how it
 * reports either; the sandbox refuses them when the transfer is created, naming `amount`.
 */
function chainAmountProblem(network: NetworkInfo, body: TransferBody): string | undefined {
  // Refinements run even when a field failed its own check; a malformed amount is already refused.
  if (!AMOUNT.safeParse(body.amount).success) return undefined;
  const bound = maxAmount(network.family, body.kind);
  // No bound has more than 78 digits; the length check keeps BigInt off huge strings.
  const amount = body.amount.length > 80 ? bound.max + 1n : BigInt(body.amount);
  if (amount > bound.max) return `exceeds the largest ${body.kind} amount on ${network.name} (${bound.what})`;
  if (network.family !== 'bitcoin') return undefined;
  const script = bitcoinTestnetScript(body.to);
  const dust = script && bitcoinDustThreshold(script);
  return dust !== undefined && amount < dust
    ? `is dust: an output below ${dust} satoshis to this address is not relayed by Bitcoin nodes`
    : undefined;
}

/** The body schema for a wallet on `network`, with that family's address rules and transfer kinds. */
export function transferBodySchemaFor(network: NetworkInfo) {
  const allowed = KINDS_BY_FAMILY[network.family];
  return transferBodySchema(ADDRESS_CHECKS[network.family]).superRefine((body, ctx) => {
    if (!allowed.includes(body.kind)) {
      const message = `${body.kind} transfers are not supported on ${network.name} (${allowed.join(', ')} are)`;
      ctx.addIssue({ code: 'custom', path: ['kind'], message });
      return;
    }
    const problem = chainAmountProblem(network, body);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  });
}

/** Structural schema used to reload stored request bodies from the state file. */
export const StoredTransferBodySchema = transferBodySchema(() => undefined);

/** A validated transfer request body, echoed verbatim as `requestBody`. */
export type TransferBody = z.infer<typeof StoredTransferBodySchema>;

/** The token a body moves (contract or mint), or undefined for the native coin. */
export function tokenOf(body: TransferBody): string | undefined {
  if (body.kind === 'Erc20' || body.kind === 'Trc20') return body.contract;
  return body.kind === 'Spl' || body.kind === 'Spl2022' ? body.mint : undefined;
}
