import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchAttributeType } from '@temporalio/common';
import {
  DfnsApprovalIdKey,
  DfnsTransferIdKey,
  PAYMENT_SEARCH_ATTRIBUTES,
  PaymentStuckKey,
  searchAttributeTypeName,
} from '../../src/contracts/search-attributes';

describe('search attributes', () => {
  it('registers the approval id as a Keyword and the stuck flag as a Bool', () => {
    assert.deepEqual(DfnsApprovalIdKey, { name: 'DfnsApprovalId', type: SearchAttributeType.KEYWORD });
    assert.deepEqual(PaymentStuckKey, { name: 'PaymentStuck', type: SearchAttributeType.BOOL });
    assert.deepEqual(DfnsTransferIdKey, { name: 'DfnsTransferId', type: SearchAttributeType.KEYWORD });
  });

  it('lists every attribute the workflow writes once, by name', () => {
    const names = PAYMENT_SEARCH_ATTRIBUTES.map((key) => key.name);
    assert.deepEqual(names, [
      'PaymentStatus',
      'PaymentWallet',
      'PaymentNetwork',
      'PaymentAsset',
      'DfnsTransferId',
      'DfnsApprovalId',
      'PaymentStuck',
      'PaymentClient',
      'PaymentWaitingForFunds',
      'BatchId',
      'BatchStatus',
      'ReconciliationOpenFindings',
      'ReconciliationFindingKinds',
      'ReconciliationWallets',
    ]);
    assert.equal(new Set(names).size, names.length);
  });

  it('has a CLI name for every attribute it registers', () => {
    const flags = PAYMENT_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${searchAttributeTypeName(key.type)}`);
    assert.deepEqual(flags, [
      'PaymentStatus=Keyword',
      'PaymentWallet=Keyword',
      'PaymentNetwork=Keyword',
      'PaymentAsset=Keyword',
      'DfnsTransferId=Keyword',
      'DfnsApprovalId=Keyword',
      'PaymentStuck=Bool',
      'PaymentClient=Keyword',
      'PaymentWaitingForFunds=Bool',
      'BatchId=Keyword',
      'BatchStatus=Keyword',
      'ReconciliationOpenFindings=Int',
      'ReconciliationFindingKinds=KeywordList',
      'ReconciliationWallets=KeywordList',
    ]);
  });
});

describe('searchAttributeTypeName', () => {
  it('names Keyword, Bool, Int and KeywordList as the Temporal CLI spells them', () => {
    assert.equal(searchAttributeTypeName(SearchAttributeType.KEYWORD), 'Keyword');
    assert.equal(searchAttributeTypeName(SearchAttributeType.BOOL), 'Bool');
    assert.equal(searchAttributeTypeName(SearchAttributeType.INT), 'Int');
    assert.equal(searchAttributeTypeName(SearchAttributeType.KEYWORD_LIST), 'KeywordList');
  });

  for (const type of [SearchAttributeType.TEXT, SearchAttributeType.DOUBLE, SearchAttributeType.DATETIME]) {
    it(`throws for ${type}, which no attribute of ours uses`, () => {
      assert.throws(() => searchAttributeTypeName(type), { message: `no CLI name for search attribute type ${type}` });
    });
  }

  it('is registered by the compose deployment script, every one with its type', () => {
    const script = readFileSync('deploy/temporal/setup-namespace.sh', 'utf8');
    for (const key of PAYMENT_SEARCH_ATTRIBUTES)
      assert.match(script, new RegExp(`\\b${key.name}=${searchAttributeTypeName(key.type)}\\b`), key.name);
  });
});
