import type { HistoryFact } from './reconciliation-facts';
import type { FindingDraft } from './reconciliation-findings';

/** Balances per asset (see assetKey), integer strings in minimum units. */
export type Balances = Record<string, string>;

/** The newest history event a checkpoint counted: where the next run's reading of the history stops. */
export interface HistoryHead {
  key: string;
  timestamp: string;
}

/**
 * What the history showed since the checkpoint: the net movement per asset, fees included. `lastFeeTxHash` carries the
 * last transaction whose fee was counted across page boundaries, so a transaction listed on two pages pays once.
 */
export interface HistoryTally {
  net: Balances;
  events: number;
  lastFeeTxHash?: string;
}

export const emptyTally = (): HistoryTally => ({ net: {}, events: 0 });

const add = (balances: Balances, asset: string, delta: bigint): void => {
  balances[asset] = (BigInt(balances[asset] ?? '0') + delta).toString();
};

/**
 * Folds history events into a tally: incoming value adds, outgoing value subtracts, and the fee of each outgoing
 * transaction is subtracted once from the native balance (a transaction may list several events; an incoming
 * transfer's fee is the sender's).
 */
export function tallyHistory(tally: HistoryTally, events: readonly HistoryFact[]): HistoryTally {
  const net = { ...tally.net };
  let lastFeeTxHash = tally.lastFeeTxHash;
  const feesPaid = new Set(lastFeeTxHash ? [lastFeeTxHash] : []);
  for (const event of events) {
    add(net, event.asset, event.direction === 'In' ? BigInt(event.value) : -BigInt(event.value));
    if (event.direction === 'Out' && event.fee && !feesPaid.has(event.txHash)) {
      feesPaid.add(event.txHash);
      lastFeeTxHash = event.txHash;
      add(net, 'Native', -BigInt(event.fee));
    }
  }
  return { net, events: tally.events + events.length, ...(lastFeeTxHash ? { lastFeeTxHash } : {}) };
}

/** Whether two balance readings are the same (an asset absent from one reads as 0). */
export function sameBalances(a: Balances, b: Balances): boolean {
  const assets = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...assets].every((asset) => BigInt(a[asset] ?? '0') === BigInt(b[asset] ?? '0'));
}

/**
 * The drift of each asset whose balance Dfns reports differs from the checkpoint's balance plus the history's net
 * movement since then. `at` names the run, so a drift found now is one finding, and the next run starts from the
 * balance Dfns reports (a persistent difference is not reported again).
 */
export function driftFindings(
  walletId: string,
  checkpoint: Balances,
  tally: HistoryTally,
  actual: Balances,
  at: string,
): FindingDraft[] {
  const assets = [...new Set([...Object.keys(checkpoint), ...Object.keys(tally.net), ...Object.keys(actual)])].sort();
  const findings: FindingDraft[] = [];
  for (const asset of assets) {
    const expected = BigInt(checkpoint[asset] ?? '0') + BigInt(tally.net[asset] ?? '0');
    const reported = BigInt(actual[asset] ?? '0');
    if (expected === reported) continue;
    const drift = reported - expected;
    findings.push({
      id: `balance_drift:${walletId}:${asset}:${at}`,
      kind: 'balance_drift',
      walletId,
      asset,
      summary:
        `wallet ${walletId} holds ${reported} of ${asset} (minimum units); the last checkpoint (${checkpoint[asset] ?? '0'}) ` +
        `plus the ${tally.events} history event(s) since make ${expected}: ${drift > 0n ? '+' : ''}${drift} unexplained`,
      differences: [{ field: 'balance', orchestrator: expected.toString(), dfns: reported.toString() }],
    });
  }
  return findings;
}
