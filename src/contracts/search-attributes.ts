import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The payment's lifecycle state, so operators can filter `PaymentStatus = "AwaitingApproval"`. */
export const PaymentStatusKey = defineSearchAttributeKey('PaymentStatus', SearchAttributeType.KEYWORD);
/** The Dfns wallet paying out. */
export const PaymentWalletKey = defineSearchAttributeKey('PaymentWallet', SearchAttributeType.KEYWORD);
/** The Dfns network name. */
export const PaymentNetworkKey = defineSearchAttributeKey('PaymentNetwork', SearchAttributeType.KEYWORD);
/** "Native" or the token contract address. */
export const PaymentAssetKey = defineSearchAttributeKey('PaymentAsset', SearchAttributeType.KEYWORD);
/** The current attempt's Dfns transfer id, once known. */
export const DfnsTransferIdKey = defineSearchAttributeKey('DfnsTransferId', SearchAttributeType.KEYWORD);

/** Every custom search attribute the workflow writes; the dev server and tests register exactly these. */
export const PAYMENT_SEARCH_ATTRIBUTES = [
  PaymentStatusKey,
  PaymentWalletKey,
  PaymentNetworkKey,
  PaymentAssetKey,
  DfnsTransferIdKey,
] as const;
