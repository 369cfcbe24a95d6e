import { add, compare, decimalFromNumber, formatDecimal, ZERO, type Decimal } from './decimal';
import type { PolicyRule } from './policy-schema';
import { usdValue, type PriceTable } from './price-table';
import type { TransferRequest } from '../wallets/transfer-schema';
import type { ScreeningConfig, TravelRuleConfig } from '../compliance/compliance-config';
import { prescreeningVerdict, travelRuleVerdict } from '../compliance/compliance-rules';

/** Everything a rule needs to judge one candidate transfer (not yet stored). */
export interface RuleContext {
  transfer: TransferRequest;
  /** Every stored transfer of the same wallet (velocity rules aggregate per wallet). */
  walletHistory: readonly TransferRequest[];
  prices: PriceTable;
  nowMs: number;
  /** Wall-clock length of a timeframe in minutes at the current time scale. */
  windowMs(minutes: number): number;
  /** The simulated Chainalysis and Notabene (admin API). */
  screening: ScreeningConfig;
  travelRule: TravelRuleConfig;
}

/** A rule's verdict and the human-readable reason Dfns reports with it. */
export interface RuleVerdict {
  triggered: boolean;
  reason: string;
  /** What a screening rule found (its alerts), published with `policy.triggered`. */
  context?: Record<string, unknown>;
}

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const usd = (value: Decimal) => `USD ${formatDecimal(value)}`;

/**
 * Velocity choices (UNCONFIRMED: Dfns does not say which transfers a window counts): the window holds transfers
 * requested strictly less than `timeframe` ago (one exactly `timeframe` old is outside), counts every status except
 * Rejected (Pending, Failed… included), and includes the current transfer.
 */
export function inWindow(ctx: RuleContext, timeframeMinutes: number): TransferRequest[] {
  const windowMs = ctx.windowMs(timeframeMinutes);
  const recent = ctx.walletHistory.filter(
    (t) => t.status !== 'Rejected' && ctx.nowMs - Date.parse(t.dateRequested) < windowMs,
  );
  return [...recent, ctx.transfer];
}

function amountVerdict(total: Decimal | undefined, limit: number, label: string, missing: string): RuleVerdict {
  // Fail closed: an amount that cannot be valued in USD triggers the rule rather than letting it through unpriced.
  if (total === undefined) return { triggered: true, reason: `${missing}; the rule triggers (fail closed).` };
  const cap = decimalFromNumber(limit);
  const above = compare(total, cap) > 0; // strictly above: a value equal to the limit passes
  return { triggered: above, reason: `${label} (${usd(total)}) is ${above ? 'above' : 'within'} limit (${usd(cap)}).` };
}

function sumUsd(ctx: RuleContext, transfers: TransferRequest[]): Decimal | undefined {
  let total = ZERO;
  for (const transfer of transfers) {
    const value = usdValue(ctx.prices, transfer);
    if (value === undefined) return undefined;
    total = add(total, value);
  }
  return total;
}

/** EVM addresses compare case-insensitively (checksum casing is not identity); others exactly. */
export function sameRecipient(a: string, b: string): boolean {
  return EVM_ADDRESS.test(a) && EVM_ADDRESS.test(b) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Evaluates one rule against the candidate transfer. */
export function evaluateRule(rule: PolicyRule, ctx: RuleContext): RuleVerdict {
  const noPrice = `No USD price for ${ctx.transfer.metadata.asset.symbol ?? 'this asset'}`;
  switch (rule.kind) {
    case 'AlwaysTrigger':
      return { triggered: true, reason: 'The rule always triggers.' };
    case 'TransactionAmountLimit':
      return amountVerdict(usdValue(ctx.prices, ctx.transfer), rule.configuration.limit, 'Transaction amount', noPrice);
    case 'TransactionAmountVelocity': {
      const window = inWindow(ctx, rule.configuration.timeframe);
      const missing = 'A transfer in the window has no USD price';
      return amountVerdict(sumUsd(ctx, window), rule.configuration.limit, 'Cumulative transfer amount', missing);
    }
    case 'TransactionCountVelocity': {
      const count = inWindow(ctx, rule.configuration.timeframe).length;
      const { limit } = rule.configuration;
      const above = count > limit;
      return {
        triggered: above,
        reason: `Number of transactions (${count}) is ${above ? 'above' : 'within'} limit (${limit}).`,
      };
    }
    case 'TransactionRecipientWhitelist': {
      const recipient = ctx.transfer.requestBody.to;
      const listed = rule.configuration.addresses.some((address) => sameRecipient(address, recipient));
      return listed
        ? { triggered: false, reason: `Recipient ${recipient} is whitelisted.` }
        : { triggered: true, reason: `Recipient ${recipient} is not in the whitelist.` };
    }
    case 'ChainalysisTransactionPrescreening':
      return prescreeningVerdict(rule.configuration, ctx.transfer, ctx.screening);
    case 'TravelRuleTransactionPrescreening':
      return travelRuleVerdict(ctx.transfer, ctx.travelRule);
  }
}
