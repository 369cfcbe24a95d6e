import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dfnsRouteTemplate } from '../../src/dfns/dfns-route';

describe('dfnsRouteTemplate', () => {
  it('names the ids in the routes the SDK calls, and drops the query', () => {
    const cases: [string, string][] = [
      ['/wallets/wa-5pfuu-9euek-8bd8pgcj4ngjaijl/transfers', '/wallets/{walletId}/transfers'],
      ['/wallets/wa-1/transfers/xfr-2', '/wallets/{walletId}/transfers/{transferId}'],
      ['/wallets/wa-1/transfers/xfr-2/abort', '/wallets/{walletId}/transfers/{transferId}/abort'],
      ['/wallets/wa-1/assets?netWorth=true', '/wallets/{walletId}/assets'],
      ['/v2/policy-approvals/ap-3/decisions', '/v2/policy-approvals/{approvalId}/decisions'],
      ['/v2/policies/plc-4', '/v2/policies/{policyId}'],
      ['/webhooks/wh-1/events/whe-2', '/webhooks/{webhookId}/events/{eventId}'],
      ['/auth/action/init', '/auth/action/init'],
      ['/auth/action', '/auth/action'],
      ['/wallets', '/wallets'],
      ['/wallets?limit=10&paginationToken=abc', '/wallets'],
      ['/', '/'],
    ];
    for (const [path, template] of cases) assert.equal(dfnsRouteTemplate(path), template, path);
  });
});
