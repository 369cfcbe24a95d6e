import {
  BatchIdKey,
  BatchStatusKey,
  DfnsApprovalIdKey,
  DfnsTransferIdKey,
  PaymentAssetKey,
  PaymentClientIdKey,
  PaymentNetworkKey,
  PaymentStatusKey,
  PaymentStuckKey,
  PaymentWaitingForFundsKey,
  PaymentWalletKey,
  ReconciliationFindingKindsKey,
  ReconciliationOpenFindingsKey,
  ReconciliationWalletsKey,
} from '../contracts/search-attributes';

/** What the search-attribute reference (docs/operations.md, generated) says about one attribute. */
export interface SearchAttributeDoc {
  /** Which workflows carry it. */
  on: string;
  meaning: string;
  /** A Temporal UI query that uses it. */
  example: string;
}

/**
 * One entry per attribute of PAYMENT_SEARCH_ATTRIBUTES, by name; the reference generator refuses an attribute that has
 * none, so a new attribute is documented before it ships.
 */
export const SEARCH_ATTRIBUTE_DOCS: Record<string, SearchAttributeDoc> = {
  [PaymentStatusKey.name]: {
    on: 'payments',
    meaning:
      "the payment's lifecycle state, updated at every transition (the workflow itself completes whatever it is)",
    example: `${PaymentStatusKey.name} = "Failed"`,
  },
  [PaymentWalletKey.name]: {
    on: 'payments',
    meaning: 'the Dfns wallet paying out (for a pool payment, the wallet the pool chose)',
    example: `${PaymentWalletKey.name} = "wa-…"`,
  },
  [PaymentNetworkKey.name]: {
    on: 'payments',
    meaning: 'the Dfns network name',
    example: `${PaymentNetworkKey.name} = "EthereumSepolia"`,
  },
  [PaymentAssetKey.name]: {
    on: 'payments',
    meaning: '`Native`, or the token contract or mint',
    example: `${PaymentAssetKey.name} = "Native"`,
  },
  [PaymentClientIdKey.name]: {
    on: 'payments',
    meaning: 'the API client (tenant) that started it; absent for payments started on Temporal without a client',
    example: `${PaymentClientIdKey.name} = "acme"`,
  },
  [DfnsTransferIdKey.name]: {
    on: 'payments',
    meaning: "the current attempt's Dfns transfer id, once known",
    example: `${DfnsTransferIdKey.name} = "xfr-…"`,
  },
  [DfnsApprovalIdKey.name]: {
    on: 'payments',
    meaning: "the current attempt's Dfns approval id, while one exists",
    example: `${DfnsApprovalIdKey.name} = "ap-…"`,
  },
  [PaymentStuckKey.name]: {
    on: 'payments',
    meaning: 'true while a broadcast transfer is overdue for its network',
    example: `${PaymentStuckKey.name} = true`,
  },
  [PaymentWaitingForFundsKey.name]: {
    on: 'payments',
    meaning: 'true while a pool payment waits for a refill because no wallet of its pool can pay it',
    example: `${PaymentWaitingForFundsKey.name} = true`,
  },
  [BatchIdKey.name]: {
    on: 'batches and their rows’ payments',
    meaning: 'the batch a payment belongs to (and the batch workflow itself)',
    example: `${BatchIdKey.name} = "batch:acme:payroll-2026-11"`,
  },
  [BatchStatusKey.name]: {
    on: 'batches',
    meaning: "a batch's own state: Running, Cancelling, Completed, Cancelled",
    example: `${BatchStatusKey.name} = "Running"`,
  },
  [ReconciliationOpenFindingsKey.name]: {
    on: 'reconciliations',
    meaning: "the reconciliation's open findings, acknowledged ones excluded ([reconciliation.md](reconciliation.md))",
    example: `${ReconciliationOpenFindingsKey.name} > 0`,
  },
  [ReconciliationFindingKindsKey.name]: {
    on: 'reconciliations',
    meaning: 'the kinds of its open findings: unmatched_transfer, outcome_mismatch, duplicate_transfer, balance_drift',
    example: `${ReconciliationFindingKindsKey.name} = "balance_drift"`,
  },
  [ReconciliationWalletsKey.name]: {
    on: 'reconciliations',
    meaning: 'the wallets the reconciliation covers',
    example: `${ReconciliationWalletsKey.name} = "wa-…"`,
  },
};
