// Compliance as payment states, through everything real: policies/compliance.json applied to the sandbox (KYT
// pre-screening by a simulated Chainalysis), the bridge turning policy.triggered into the payment's own updates, the
// workflow naming the block or the compliance hold, the API showing the audit trail, and Travel Rule data required
// per asset by the client, sent to Dfns, and found in no log line of the run.
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { loadPolicyFile, policyFilePath } from '../../src/policies/load-policy-file';
import { resolvePolicyFile } from '../../src/policies/resolve-placeholders';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { callApi, type ApiRequest } from '../support/stack-api';

const SANCTIONED = '0x00000000000000000000000000000000000000aa';
const MIXER = '0x00000000000000000000000000000000000000bb';
const CLEAN = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
/** Travel Rule values unique enough that finding any of them in a log line means the payload leaked. */
const SECRET_NAME = 'Originator-Name-7f3a91c2';
const SECRET_STREET = 'Beneficiary-Street-9c1d44e0';
const SECRET_ACCOUNT = 'IBAN-DE-5512-8833-0021';
const THRESHOLD = '1000000000000000'; // 0.001 ETH, in wei

/** Everything written to stdout and stderr while the suite runs (the sandbox, the SDK, anything not in pino). */
const written: string[] = [];
const intercept = (stream: NodeJS.WriteStream) => {
  const original = stream.write.bind(stream);
  stream.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return original(chunk, ...rest);
  };
  return () => (stream.write = original);
};

describe('compliance: KYT screening and Travel Rule data, from request to audit', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let restore: (() => void)[] = [];
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);
  const travelRule = {
    kind: 'Notabene',
    beneficiaryVASPdid: 'did:web:beneficiary.example',
    originator: {
      originatorPersons: [{ naturalPerson: { name: { nameIdentifier: [{ primaryIdentifier: SECRET_NAME }] } } }],
      accountNumber: [SECRET_ACCOUNT],
    },
    beneficiary: {
      beneficiaryPersons: [{ naturalPerson: { geographicAddress: [{ streetName: SECRET_STREET }] } }],
    },
  };

  before(async () => {
    restore = [intercept(process.stdout), intercept(process.stderr)];
    stack = await startPaymentStack({
      timeScale: 60,
      apiKeys: [parseApiKeyEntry(acme.entry)],
      clients: (bootstrap) => ({
        version: 1,
        clients: [
          {
            id: 'acme',
            wallets: bootstrap.wallets.map((wallet) => wallet.walletId),
            travelRule: { requiredFrom: [{ network: 'EthereumSepolia', asset: 'Native', minAmount: THRESHOLD }] },
          },
        ],
      }),
    });
    const b = stack.sandbox.bootstrap;
    const signer = new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey });
    const admin = new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: b.authToken, orgId: b.orgId, signer });
    // The shipped compliance set, its compliance group the last bootstrap approver, applied as the policies CLI would.
    const { desired } = resolvePolicyFile(loadPolicyFile(policyFilePath('compliance')), {
      approverIds: [],
      complianceApproverIds: [b.approvers.at(-1)!.userId],
      recipientWhitelist: [],
      walletIds: [],
      autoRejectTimeout: 1440,
      sources: { approverIds: 'test', recipientWhitelist: 'test', walletIds: 'test' },
    });
    for (const body of desired.policies) await admin.policies.createPolicy({ body });
    // And the Travel Rule check: Notabene refuses one beneficiary VASP.
    await admin.policies.createPolicy({
      body: {
        name: 'compliance: travel rule',
        activityKind: 'Wallets:Sign',
        rule: {
          kind: 'TravelRuleTransactionPrescreening',
          configuration: { vendor: 'Notabene', autoTriggerTimeoutSeconds: 60 },
        },
        action: { kind: 'Block' },
      },
    });
    const put = (path: string, body: unknown) =>
      fetch(`${stack.sandbox.url}/_sandbox${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => assert.equal(res.status, 200, path));
    await put('/screening', {
      addresses: [
        { address: SANCTIONED, alertLevel: 'SEVERE', category: 'sanctions', categoryId: 3, exposureType: 'DIRECT' },
        { address: MIXER, alertLevel: 'HIGH', category: 'mixing', categoryId: 8, exposureType: 'INDIRECT' },
      ],
      // A test org screens its testnet as Dfns screens Ethereum.
      networks: { Native: ['EthereumSepolia'], Erc20: ['EthereumSepolia'] },
    });
    await put('/travel-rule', { refuseWithoutPayload: false, refuseVaspDids: ['did:web:refuses.example'] });
  });
  after(async () => {
    await stack?.stop();
    for (const undo of restore) undo();
  });

  const call = (path: string, init?: ApiRequest) => callApi(stack.bridgeUrl, acme.key, path, init);
  const pay = (key: string, to: string, amount = '1000', extra: Record<string, unknown> = {}) =>
    call('/v1/payments', {
      method: 'POST',
      idempotencyKey: key,
      json: {
        walletId: stack.sandbox.bootstrap.walletId,
        network: 'EthereumSepolia',
        asset: { kind: 'Native' },
        to,
        amount,
        ...extra,
      },
    });
  const view = (paymentId: string) => call(`/v1/payments/${encodeURIComponent(paymentId)}`);
  const transfersOf = async (paymentId: string) =>
    (await stack.sandboxTransfers()).filter((transfer) => transfer.externalId?.startsWith(`${paymentId}:`));

  it('a SEVERE address is blocked: Rejected as ScreeningBlocked with the alert level, one transfer attempt, no retry', async () => {
    const started = await pay('severe-1', SANCTIONED);
    assert.equal(started.status, 201, JSON.stringify(started.json));
    const paymentId = started.json.paymentId as string;
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.failureType, 'ScreeningBlocked');
    assert.equal(outcome.attempt, 1);
    assert.match(
      outcome.reason ?? '',
      /^KYT screening alert SEVERE \(sanctions, direct exposure\) "compliance: severe alerts" blocked the transfer: /,
    );
    assert.equal((await transfersOf(paymentId)).length, 1, 'exactly one transfer reached Dfns');

    const { json } = await view(paymentId);
    assert.equal(json.failureType, 'ScreeningBlocked');
    assert.deepEqual(json.previousAttempts, [], 'never retried');
    const screening = json.compliance.checks.find((check: { check: string }) => check.check === 'screening');
    assert.deepEqual(
      { ...screening, at: undefined, policyId: undefined, reason: undefined },
      {
        attempt: 1,
        check: 'screening',
        outcome: 'blocked',
        policyName: 'compliance: severe alerts',
        alertLevel: 'SEVERE',
        category: 'sanctions',
        exposure: 'direct',
        at: undefined,
        policyId: undefined,
        reason: undefined,
      },
    );
    assert.deepEqual(json.compliance.travelRule, { sent: false });
    assert.ok(
      json.timeline.some(
        (entry: { event: string; note?: string }) =>
          entry.event === 'policy.triggered' && /SEVERE/.test(entry.note ?? ''),
      ),
      'the timeline records the screening',
    );
    // Later events change nothing: the attempt stays the only one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal((await transfersOf(paymentId)).length, 1);
  });

  it('a HIGH address waits for the compliance group, says so, then is approved and Confirmed; the approval is audited', async () => {
    const started = await pay('high-1', MIXER);
    assert.equal(started.status, 201, JSON.stringify(started.json));
    const paymentId = started.json.paymentId as string;
    let waiting: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let tries = 0; tries < 120; tries++) {
      waiting = (await view(paymentId)).json;
      if (waiting.compliance?.awaitingCompliance) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(waiting.status, 'AwaitingApproval');
    assert.equal(waiting.compliance.awaitingCompliance, true, 'the state says the compliance group holds it');
    const hold = waiting.compliance.checks.find((check: { check: string }) => check.check === 'screening');
    assert.equal(hold.outcome, 'approvalRequired');
    assert.equal(hold.alertLevel, 'HIGH');
    assert.equal(hold.exposure, 'indirect');

    const officer = stack.sandbox.bootstrap.approvers.at(-1)!;
    const approver = new DfnsApiClient({
      baseUrl: stack.sandbox.url,
      authToken: officer.authToken,
      signer: new AsymmetricKeySigner({ credId: officer.credId, privateKey: officer.privateKey }),
    });
    await approver.policies.createApprovalDecision({
      approvalId: waiting.approvalId,
      body: { value: 'Approved', reason: 'counterparty reviewed' },
    });
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');

    const { json } = await view(paymentId);
    assert.equal(json.compliance.awaitingCompliance, false);
    assert.equal(json.compliance.approvals.length, 1);
    const [approval] = json.compliance.approvals;
    assert.equal(approval.status, 'Approved');
    assert.equal(approval.attempt, 1);
    assert.equal(approval.decisions.length, 1);
    assert.equal(approval.decisions[0].userId, officer.userId, 'who decided');
    assert.equal(approval.decisions[0].value, 'Approved');
    assert.equal(approval.decisions[0].reason, 'counterparty reviewed');
    assert.ok(!Number.isNaN(Date.parse(approval.decisions[0].date)), 'when they decided');
  });

  it('over the Travel Rule threshold: refused (400, nothing starts) without the payload, paid with it', async () => {
    const refused = await pay('travel-1', CLEAN, THRESHOLD);
    assert.equal(refused.status, 400);
    assert.equal(refused.json.errors.length, 1);
    assert.equal(refused.json.errors[0].field, 'travelRule');
    assert.match(refused.json.errors[0].message, /is required: EthereumSepolia Native payments from 1000000000000000/);
    assert.equal((await view('payment:acme:travel-1')).status, 404, 'nothing started');
    assert.deepEqual(await transfersOf('payment:acme:travel-1'), []);

    const below = await pay('travel-below', CLEAN, '999');
    assert.equal(below.status, 201, 'under the threshold nothing is required');

    const malformed = await pay('travel-bad', CLEAN, THRESHOLD, { travelRule: { kind: 'Notabene', originator: [] } });
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.json.errors.map((error: { field: string }) => error.field).sort(), [
      'travelRule.beneficiary',
      'travelRule.originator',
    ]);

    const accepted = await pay('travel-1', CLEAN, THRESHOLD, { travelRule });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.json));
    const paymentId = accepted.json.paymentId as string;
    assert.equal(accepted.json.request.travelRule, undefined, 'the view never shows the payload back');
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
    const { json } = await view(paymentId);
    assert.deepEqual(json.compliance.travelRule, { sent: true, provider: 'Notabene' });
    const truth = (await (await fetch(`${stack.sandbox.url}/_sandbox/transfers`)).json()) as {
      items: { externalId?: string; requestBody: { travelRule?: unknown } }[];
    };
    const [sent] = truth.items.filter((transfer) => transfer.externalId === `${paymentId}:a1`);
    assert.deepEqual(sent?.requestBody.travelRule, travelRule, 'passed to Dfns with the transfer');
  });

  it('a Travel Rule refusal from Dfns (Notabene) ends Rejected as TravelRuleRefused', async () => {
    const started = await pay('travel-refused', CLEAN, THRESHOLD, {
      travelRule: { ...travelRule, beneficiaryVASPdid: 'did:web:refuses.example' },
    });
    assert.equal(started.status, 201);
    const outcome = await stack.client.waitForOutcome(started.json.paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.failureType, 'TravelRuleRefused');
    assert.match(
      outcome.reason ?? '',
      /Travel Rule "compliance: travel rule" blocked the transfer: .*refused by the beneficiary VASP/,
    );
  });

  it('no log line of the run holds a Travel Rule value', async () => {
    const lines = [...stack.logs.lines, ...written];
    assert.ok(lines.length > 20, `the run logged (${lines.length} lines)`);
    for (const value of [SECRET_NAME, SECRET_STREET, SECRET_ACCOUNT]) {
      const leaks = lines.filter((line) => line.includes(value));
      assert.deepEqual(leaks, [], `${value} appears in a log line`);
    }
  });
});
