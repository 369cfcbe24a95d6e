import { stringify } from 'csv-stringify/sync';
import { formatUnits } from '../contracts/amount';
import type { LedgerEntry } from '../contracts/ledger-entry';
import { NETWORKS, type NetworkName } from '../contracts/networks';

/**
 * One payment event that moved money, for accounting: a transfer that reached the chain. A Confirmed payment moved
 * its amount and paid its fee; a Failed one (reverted on chain) moved nothing and paid its fee. Amounts are integer
 * strings in minimum units, and the same amounts in display units (exact decimals) where the decimals are known.
 */
export interface ExportRow {
  paymentId: string;
  clientId: string;
  walletId: string;
  network: string;
  /** "Native", or the token's contract or mint. */
  asset: string;
  symbol: string;
  decimals: string;
  amount: string;
  amountDisplay: string;
  /** The network's native coin, in which the fee is paid. */
  feeSymbol: string;
  fee: string;
  feeDisplay: string;
  /** The fee sponsor that paid the fee instead of the wallet, if any. */
  feeSponsorId: string;
  txHash: string;
  /** When Dfns reported the final status: the confirmation time of a Confirmed payment. */
  settledAt: string;
  status: string;
  transferId: string;
}

/** The export's columns, in order: the CSV header and the JSON fields. */
export const EXPORT_COLUMNS = [
  'paymentId',
  'clientId',
  'walletId',
  'network',
  'asset',
  'symbol',
  'decimals',
  'amount',
  'amountDisplay',
  'feeSymbol',
  'fee',
  'feeDisplay',
  'feeSponsorId',
  'txHash',
  'settledAt',
  'status',
  'transferId',
] as const satisfies readonly (keyof ExportRow)[];

const display = (amount: string, decimals: number | undefined): string =>
  decimals === undefined ? '' : formatUnits(amount, decimals);

/** The row of a closed payment, or undefined when it moved no money (rejected, cancelled, failed off chain). */
export function exportRow(paymentId: string, ledger: LedgerEntry): ExportRow | undefined {
  const onChain = ledger.txHash !== undefined;
  if (!onChain || (ledger.status !== 'Confirmed' && ledger.status !== 'Failed')) return undefined;
  const network = NETWORKS[ledger.network as NetworkName];
  const amount = ledger.status === 'Confirmed' ? ledger.amount : '0';
  const fee = ledger.fee ?? '';
  return {
    paymentId,
    clientId: ledger.clientId ?? '',
    walletId: ledger.walletId ?? '',
    network: ledger.network,
    asset: ledger.asset,
    symbol: ledger.symbol,
    decimals: ledger.decimals === undefined ? '' : String(ledger.decimals),
    amount,
    amountDisplay: display(amount, ledger.decimals),
    feeSymbol: network?.nativeSymbol ?? '',
    fee,
    feeDisplay: fee === '' ? '' : display(fee, network?.nativeDecimals),
    feeSponsorId: ledger.feeSponsorId ?? '',
    txHash: ledger.txHash ?? '',
    settledAt: ledger.settledAt ?? '',
    status: ledger.status,
    transferId: ledger.transferId ?? '',
  };
}

/** The CSV header line. */
export const exportCsvHeader = (): string => stringify([[...EXPORT_COLUMNS]]);

/** Rows as CSV lines (RFC 4180, "\n" line ends), in the column order above. */
export const exportCsvLines = (rows: readonly ExportRow[]): string =>
  rows.length === 0 ? '' : stringify(rows.map((row) => EXPORT_COLUMNS.map((column) => row[column])));
