/**
 * The Dfns collections whose next path segment is an id, and the name that id goes by in a route template. Taken
 * from the routes the SDK calls (`/wallets/{walletId}/transfers/{transferId}`, `/v2/policy-approvals/{approvalId}`,
 * `/webhooks/{webhookId}/events/{eventId}`, …).
 */
const COLLECTION_IDS: Readonly<Record<string, string>> = {
  wallets: 'walletId',
  transfers: 'transferId',
  transactions: 'transactionId',
  signatures: 'signatureId',
  offers: 'offerId',
  policies: 'policyId',
  'policy-approvals': 'approvalId',
  approvals: 'approvalId',
  webhooks: 'webhookId',
  events: 'eventId',
  keys: 'keyId',
  users: 'userId',
  'service-accounts': 'serviceAccountId',
  'personal-access-tokens': 'tokenId',
  credentials: 'credentialId',
  'fee-sponsors': 'feeSponsorId',
  'permission-assignments': 'assignmentId',
  permissions: 'permissionId',
};

/**
 * The route template of a Dfns request path (`/wallets/wa-1/transfers/xfr-2?x=1` →
 * `/wallets/{walletId}/transfers/{transferId}`): what a trace names the request by, so that requests group by route
 * and no id or query value becomes part of a span's name.
 */
export function dfnsRouteTemplate(path: string): string {
  const segments = (path.split(/[?#]/, 1)[0] ?? '').split('/');
  const template = segments.map((segment, i) => {
    const id = i > 0 ? COLLECTION_IDS[segments[i - 1] ?? ''] : undefined;
    return id && segment !== '' && COLLECTION_IDS[segment] === undefined ? `{${id}}` : segment;
  });
  return template.join('/') || '/';
}
