import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';
import type { PaymentFilter } from './payments-backend';

/** Values reach the query only after validation (enums, ids, addresses, ISO times); quotes are escaped regardless. */
const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The visibility query for a listing. The client clause is always there, so a caller only ever lists its own
 * payments, whatever the cursor it sends.
 */
export function paymentListQuery(filter: PaymentFilter): string {
  const clauses = [PAYMENT_WORKFLOWS_CLAUSE, `PaymentClient = ${quote(filter.clientId)}`];
  if (filter.status) clauses.push(`PaymentStatus = ${quote(filter.status)}`);
  if (filter.walletId) clauses.push(`PaymentWallet = ${quote(filter.walletId)}`);
  if (filter.network) clauses.push(`PaymentNetwork = ${quote(filter.network)}`);
  if (filter.asset) clauses.push(`PaymentAsset = ${quote(filter.asset)}`);
  if (filter.stuck !== undefined) clauses.push(`PaymentStuck = ${filter.stuck}`);
  if (filter.createdAfter) clauses.push(`StartTime >= ${quote(filter.createdAfter)}`);
  if (filter.createdBefore) clauses.push(`StartTime < ${quote(filter.createdBefore)}`);
  return clauses.join(' AND ');
}
