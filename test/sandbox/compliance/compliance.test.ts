import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  deliveries,
  RECIPIENT,
  sendNative,
  startTestSandbox,
  waitFor,
  type Json,
  type TestSandbox,
} from '../helpers';
import { approvalBy, createSignPolicy, resetSandbox, type SignPolicyBody } from '../policy-support';

const SANCTIONED = '0x00000000000000000000000000000000000000aa';
const MIXER = '0x00000000000000000000000000000000000000bb';

/** A Chainalysis pre-screening rule at `alertLevel`, any category, failing closed on everything but the network. */
const prescreening = (alertLevel: 'HIGH' | 'SEVERE'): SignPolicyBody['rule'] => ({
  kind: 'ChainalysisTransactionPrescreening',
  configuration: {
    alerts: { alertLevel, categoryIds: [] },
    exposures: { direct: { categoryIds: [] } },
    addresses: { categoryIds: [] },
    fallbackBehaviours: {
      skipUnscreenableTransaction: false,
      skipUnsupportedNetwork: true,
      skipUnsupportedAsset: true,
      skipChainalysisFailure: false,
    },
  },
});

describe('sandbox compliance: Chainalysis pre-screening and Notabene Travel Rule through the real SDK', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  const screen = (body: Json) => admin(t.sandbox.url, 'PUT', '/screening', body);
  const sendTo = (to: string, externalId?: string) =>
    t.dfns.wallets.transferAsset({
      walletId: t.bootstrap.walletId,
      body: { kind: 'Native', to, amount: '1000', ...(externalId ? { externalId } : {}) },
    });
  const riskyList = {
    addresses: [
      { address: SANCTIONED, alertLevel: 'SEVERE', category: 'sanctions', categoryId: 3, exposureType: 'DIRECT' },
      { address: MIXER, alertLevel: 'HIGH', category: 'mixing', categoryId: 8, exposureType: 'INDIRECT' },
    ],
    networks: { Native: ['EthereumSepolia'], Erc20: ['EthereumSepolia'] },
  };

  it("lists Dfns's screened networks by default, and takes a risky-address list from the admin API", async () => {
    const initial = (await admin(t.sandbox.url, 'GET', '/screening')).body;
    assert.deepEqual(initial.addresses, []);
    assert.ok(initial.networks.Native.includes('Ethereum') && !initial.networks.Native.includes('EthereumSepolia'));
    assert.deepEqual(initial.networks.Erc20, ['ArbitrumOne', 'AvalancheC', 'Bsc', 'Ethereum', 'Optimism', 'Polygon']);
    const bad = await screen({ addresses: [{ address: SANCTIONED, alertLevel: 'CRITICAL' }] });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /alertLevel/);
    assert.equal((await screen(riskyList)).status, 200);
  });

  it('SEVERE → Block: the transfer is Rejected and policy.triggered carries the alert in its context', async () => {
    await screen(riskyList);
    const block = await createSignPolicy(t.dfns, 'compliance: severe', prescreening('SEVERE'), { kind: 'Block' });
    await createSignPolicy(t.dfns, 'compliance: high', prescreening('HIGH'), approvalBy('anyone'));
    const blocked = await sendTo(SANCTIONED, 'ext-severe');
    assert.equal(blocked.status, 'Rejected');
    assert.equal(blocked.approvalId, undefined, 'a Block opens no approval even when the HIGH policy triggers too');
    assert.match(blocked.reason ?? '', /compliance: severe/);
    const events = await waitFor(() => {
      const got = deliveries(t.receiver, 'policy.triggered').map((d) => (d.json as Json).data.policyEvaluation);
      return got.length >= 2 ? got : undefined;
    });
    const severe = events.find((e: Json) => e.policy.id === block.id);
    assert.equal(severe.policy.rule.kind, 'ChainalysisTransactionPrescreening');
    assert.equal(severe.policy.action.kind, 'Block');
    assert.equal(severe.activity.transferRequest.externalId, 'ext-severe');
    assert.deepEqual(severe.context, {
      alerts: [{ alertLevel: 'SEVERE', category: 'sanctions', categoryId: 3, exposureType: 'DIRECT' }],
    });
  });

  it('HIGH → RequestApproval: pending until an approver decides; a clean address passes; other networks are skipped', async () => {
    await screen(riskyList);
    await createSignPolicy(t.dfns, 'compliance: severe', prescreening('SEVERE'), { kind: 'Block' });
    await createSignPolicy(t.dfns, 'compliance: high', prescreening('HIGH'), approvalBy('anyone'));
    const held = await sendTo(MIXER, 'ext-high');
    assert.equal(held.status, 'Pending');
    assert.ok(held.approvalId);
    const approval = await t.dfns.policies.getApproval({ approvalId: held.approvalId });
    const triggered = approval.policyEvaluations.filter((e) => e.triggered);
    assert.equal(triggered.length, 1);
    assert.deepEqual((triggered[0] as Json).context.alerts[0].alertLevel, 'HIGH');

    const clean = await sendNative(t.dfns, t.bootstrap.walletId, '1000', 'ext-clean');
    assert.equal(clean.status, 'Pending');
    assert.equal(clean.approvalId, undefined);

    // BaseSepolia is not on the screened list: skipUnsupportedNetwork lets it through unscreened.
    const base = t.bootstrap.wallets[1]!;
    const unscreened = await t.dfns.wallets.transferAsset({
      walletId: base.walletId,
      body: { kind: 'Native', to: SANCTIONED, amount: '1000' },
    });
    assert.notEqual(unscreened.status, 'Rejected');
    assert.equal(unscreened.approvalId, undefined);
  });

  it('fails closed while Chainalysis is down, unless the rule skips Chainalysis failures', async () => {
    await screen({ ...riskyList, unavailable: true });
    const closed = await createSignPolicy(t.dfns, 'closed', prescreening('HIGH'), { kind: 'Block' });
    assert.equal((await sendNative(t.dfns, t.bootstrap.walletId, '1000')).status, 'Rejected');
    const open = prescreening('HIGH') as Extract<
      SignPolicyBody['rule'],
      { kind: 'ChainalysisTransactionPrescreening' }
    >;
    open.configuration.fallbackBehaviours.skipChainalysisFailure = true;
    const body = {
      name: 'open',
      activityKind: 'Wallets:Sign' as const,
      rule: open,
      action: { kind: 'Block' as const },
    };
    await t.dfns.policies.updatePolicy({ policyId: closed.id, body });
    assert.notEqual((await sendNative(t.dfns, t.bootstrap.walletId, '1000')).status, 'Rejected');
  });

  it('Travel Rule: the payload is accepted in the transfer body; Notabene refusals trigger the Block policy', async () => {
    const rule: SignPolicyBody['rule'] = {
      kind: 'TravelRuleTransactionPrescreening',
      configuration: { vendor: 'Notabene', autoTriggerTimeoutSeconds: 60 },
    };
    await createSignPolicy(t.dfns, 'compliance: travel rule', rule, { kind: 'Block' });
    await admin(t.sandbox.url, 'PUT', '/travel-rule', {
      refuseWithoutPayload: true,
      refuseVaspDids: ['did:web:refuses'],
    });
    const payload = {
      kind: 'Notabene' as const,
      beneficiaryVASPdid: 'did:web:beneficiary.example',
      originator: {
        originatorPersons: [{ naturalPerson: { name: { nameIdentifier: [{ primaryIdentifier: 'A' }] } } }],
      },
      beneficiary: {
        beneficiaryPersons: [{ naturalPerson: { name: { nameIdentifier: [{ primaryIdentifier: 'B' }] } } }],
      },
    };
    const send = (travelRule?: typeof payload) =>
      t.dfns.wallets.transferAsset({
        walletId: t.bootstrap.walletId,
        body: { kind: 'Native', to: RECIPIENT, amount: '1000', ...(travelRule ? { travelRule } : {}) },
      });
    const without = await send();
    assert.equal(without.status, 'Rejected');
    assert.match(without.reason ?? '', /no Travel Rule data/);
    const accepted = await send(payload);
    assert.notEqual(accepted.status, 'Rejected');
    assert.deepEqual(accepted.requestBody.travelRule, payload, 'echoed in requestBody like every field sent');
    const refused = await send({ ...payload, beneficiaryVASPdid: 'did:web:refuses' });
    assert.equal(refused.status, 'Rejected');
    assert.match(refused.reason ?? '', /refused by the beneficiary VASP/);
    const malformed = await admin(t.sandbox.url, 'PUT', '/travel-rule', { refuseVaspDids: 'all' });
    assert.equal(malformed.status, 400);
  });
});
