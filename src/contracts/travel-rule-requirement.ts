import { z } from 'zod';
import { amountProblem } from './amount';
import { assetIdentifier } from './asset-identifier';
import { sameAddress } from './chain-rules';
import type { FieldError } from './field-errors';
import { NETWORK_NAMES, type NetworkName } from './networks';
import type { PaymentBody } from './payment-request';

/**
 * From which amount payments of one asset must carry Travel Rule data: the network, the asset as a payment names it
 * ("Native", or the token's contract or mint) and the smallest amount, in minimum units, that needs it.
 */
export interface TravelRuleThreshold {
  network: NetworkName;
  asset: string;
  minAmount: string;
}

const minAmountSchema = z
  .string({ error: 'must be a string of digits' })
  .refine((value) => value === '0' || !amountProblem(value), {
    error: 'must be an integer in minimum units ("0" requires it for every amount)',
  });

/** One threshold as a clients file writes it. */
export const travelRuleThresholdSchema = z.strictObject({
  network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }),
  asset: z.string({ error: 'must be "Native" or a token contract or mint' }).min(1),
  minAmount: minAmountSchema,
});

/**
 * Parses TRAVEL_RULE_REQUIRED_FROM: comma-separated `NETWORK:ASSET=AMOUNT` entries, e.g.
 * `Ethereum:Native=300000000000000000,Ethereum:0xA0b8…eB48=1000000000`. Throws naming the bad entry.
 */
export function parseTravelRuleThresholds(text: string): TravelRuleThreshold[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^([A-Za-z0-9]+):([^=\s]+)=(\d+)$/.exec(entry);
      const parsed =
        match && travelRuleThresholdSchema.safeParse({ network: match[1], asset: match[2], minAmount: match[3] });
      if (!parsed?.success) {
        const why = parsed
          ? `: ${parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join('; ')}`
          : '';
        throw new Error(`"${entry}" is not NETWORK:ASSET=AMOUNT${why}`);
      }
      return parsed.data;
    });
}

/** Whether a threshold names the request's asset on its network (EVM contracts compare without checksum case). */
function sameAsset(threshold: TravelRuleThreshold, request: Pick<PaymentBody, 'network' | 'asset'>): boolean {
  if (threshold.network !== request.network) return false;
  const id = assetIdentifier(request.asset);
  if (threshold.asset === 'Native' || id === 'Native') return threshold.asset === id;
  return sameAddress(request.network, threshold.asset, id);
}

/**
 * Why a request must carry Travel Rule data it lacks: its amount is at or above a threshold for its asset, from the
 * deployment or the client (the lowest applies). Undefined when it carries the data or needs none.
 */
export function travelRuleProblem(
  request: Pick<PaymentBody, 'network' | 'asset' | 'amount' | 'travelRule'>,
  thresholds: readonly { threshold: TravelRuleThreshold; from: string }[],
): FieldError | undefined {
  if (request.travelRule !== undefined || amountProblem(request.amount)) return undefined;
  const amount = BigInt(request.amount);
  const applying = thresholds
    .filter(({ threshold }) => sameAsset(threshold, request) && amount >= BigInt(threshold.minAmount))
    .sort((a, b) => (BigInt(a.threshold.minAmount) < BigInt(b.threshold.minAmount) ? -1 : 1));
  const lowest = applying[0];
  if (!lowest) return undefined;
  return {
    field: 'travelRule',
    message:
      `is required: ${request.network} ${assetIdentifier(request.asset)} payments from ${lowest.threshold.minAmount} ` +
      `(minimum units) must carry Travel Rule data (${lowest.from})`,
  };
}
