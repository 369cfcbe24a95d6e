import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The payment's lifecycle state, so operators can filter `PaymentStatus = "AwaitingApproval"`. */
export const PaymentStatusKey = defineSearchAttributeKey('PaymentStatus', SearchAttributeType.KEYWORD);
/** The Dfns wallet paying out. */
export const PaymentWalletKey = defineSearchAttributeKey('PaymentWallet', SearchAttributeType.KEYWORD);
/** The Dfns network name. */
export const PaymentNetworkKey = defineSearchAttributeKey('PaymentNetwork', SearchAttributeType.KEYWORD);
/** "Native" or the token contract address. */
export const PaymentAssetKey = defineSearchAttributeKey('PaymentAsset', SearchAttributeType.KEYWORD);
/** The API client (tenant) that started the payment; absent for payments started directly on Temporal. */
export const PaymentClientIdKey = defineSearchAttributeKey('PaymentClient', SearchAttributeType.KEYWORD);
/** The current attempt's Dfns transfer id, once known. */
export const DfnsTransferIdKey = defineSearchAttributeKey('DfnsTransferId', SearchAttributeType.KEYWORD);
/** The current attempt's Dfns approval id, while one exists. */
export const DfnsApprovalIdKey = defineSearchAttributeKey('DfnsApprovalId', SearchAttributeType.KEYWORD);
/** True while a broadcast transfer is overdue for its network. */
export const PaymentStuckKey = defineSearchAttributeKey('PaymentStuck', SearchAttributeType.BOOL);
/** True while a pool payment waits for a refill because no wallet of its pool can pay it. */
export const PaymentWaitingForFundsKey = defineSearchAttributeKey('PaymentWaitingForFunds', SearchAttributeType.BOOL);

/** The batch a payment belongs to, on the batch workflow and on each of its rows' payments. */
export const BatchIdKey = defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD);
/** A batch's own state (Running, Cancelling, Completed, Cancelled), on the batch workflow. */
export const BatchStatusKey = defineSearchAttributeKey('BatchStatus', SearchAttributeType.KEYWORD);

/** A reconciliation's open findings, acknowledged ones excluded: `ReconciliationOpenFindings > 0` lists the ones to look at. */
export const ReconciliationOpenFindingsKey = defineSearchAttributeKey(
  'ReconciliationOpenFindings',
  SearchAttributeType.INT,
);
/** The kinds of a reconciliation's open findings (unmatched_transfer, outcome_mismatch, duplicate_transfer, balance_drift). */
export const ReconciliationFindingKindsKey = defineSearchAttributeKey(
  'ReconciliationFindingKinds',
  SearchAttributeType.KEYWORD_LIST,
);
/** The wallets a reconciliation covers. */
export const ReconciliationWalletsKey = defineSearchAttributeKey(
  'ReconciliationWallets',
  SearchAttributeType.KEYWORD_LIST,
);

/** Every custom search attribute the workflows write; the dev server, compose and tests register exactly these. */
export const PAYMENT_SEARCH_ATTRIBUTES = [
  PaymentStatusKey,
  PaymentWalletKey,
  PaymentNetworkKey,
  PaymentAssetKey,
  DfnsTransferIdKey,
  DfnsApprovalIdKey,
  PaymentStuckKey,
  PaymentClientIdKey,
  PaymentWaitingForFundsKey,
  BatchIdKey,
  BatchStatusKey,
  ReconciliationOpenFindingsKey,
  ReconciliationFindingKindsKey,
  ReconciliationWalletsKey,
] as const;

/** The CLI's name for a search attribute type (`--search-attribute Name=Type`). */
export function searchAttributeTypeName(type: SearchAttributeType): string {
  const names: Partial<Record<SearchAttributeType, string>> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.BOOL]: 'Bool',
    [SearchAttributeType.INT]: 'Int',
    [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  };
  const name = names[type];
  if (!name) throw new Error(`no CLI name for search attribute type ${type}`);
  return name;
}
