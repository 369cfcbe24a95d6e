import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandboxCli, type SandboxCli } from '../policies/sandbox-cli';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
/** Whitelisting the recipient leaves only "large payments" to trigger on a 15,000 USDC transfer. */
const POLICY_ENV = { PAYMENT_RECIPIENT_WHITELIST: RECIPIENT };

describe('approvals CLI against the sandbox', { timeout: 120_000 }, () => {
  let cli: SandboxCli;
  before(async () => {
    cli = await startSandboxCli();
    const apply = await cli.run('policies', ['apply', '--set', 'standard'], POLICY_ENV);
    assert.equal(apply.code, 0, apply.stderr + apply.stdout);
  });
  after(async () => {
    await cli?.close();
  });

  /** Sends 15,000 USDC (above the $10k limit) from the service account, as the orchestrator's attempt 1 of `key`. */
  const bigTransfer = async (key: string) => {
    const { walletId, erc20 } = cli.sandbox.bootstrap;
    const transfer = await cli.dfns.wallets.transferAsset({
      walletId,
      body: {
        kind: 'Erc20',
        contract: erc20.contract,
        to: RECIPIENT,
        amount: '15000000000',
        externalId: `payment:${key}:a1`,
      },
    });
    assert.equal(transfer.status, 'Pending');
    assert.ok(transfer.approvalId, 'the large-payments policy asks for approval');
    return { transferId: transfer.id, approvalId: transfer.approvalId };
  };

  /** Polls the transfer until it leaves Pending (the sandbox runs 50× faster than real time). */
  const statusAfterPending = async (transferId: string) => {
    const { walletId } = cli.sandbox.bootstrap;
    for (let i = 0; i < 100; i += 1) {
      const { status } = await cli.dfns.wallets.getTransfer({ walletId, transferId });
      if (status !== 'Pending') return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return 'Pending';
  };

  it('lists a pending approval with its payment, exact amount, recipient, reason and expiry', async () => {
    const { approvalId, transferId } = await bigTransfer('listed');
    const run = await cli.run('approvals', ['list']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^${approvalId}  Pending  payment:listed \\(attempt 1\\)$`, 'm'));
    assert.match(
      run.stdout,
      new RegExp(`^    15000 USDC → ${RECIPIENT} on EthereumSepolia, transfer ${transferId}, wallet wa-`, 'm'),
    );
    assert.match(run.stdout, /^ {4}policy "standard: large payments" \(plc-[^)]+\): .+$/m);
    assert.match(run.stdout, /^ {4}expires \d{4}-\d\d-\d\dT[\d:.]+Z; no decisions yet$/m);

    const json = await cli.run('approvals', ['list', '--json', '--as', 'approver-1']);
    assert.equal(json.code, 0, json.stderr);
    const row = JSON.parse(json.stdout).find(
      (candidate: { approvalId: string }) => candidate.approvalId === approvalId,
    );
    assert.equal(row.paymentId, 'payment:listed');
    assert.equal(row.amount, '15000000000');
    assert.equal(row.amountText, '15000 USDC');
    assert.equal(row.recipient, RECIPIENT);
  });

  it('refuses an approver outside the group, then approve --as approver-1 moves the transfer on', async () => {
    const { approvalId, transferId } = await bigTransfer('approved');
    const outsider = await cli.run('approvals', ['approve', approvalId, '--as', 'approver-3']);
    assert.equal(outsider.code, 2, outsider.stdout);
    assert.match(
      outsider.stderr,
      new RegExp(
        `^approvals: approver-3 may not decide approval ${approvalId}: .*not an approver.* \\(HTTP 403\\)\\n$`,
      ),
    );

    const run = await cli.run('approvals', ['approve', approvalId, '--as', 'approver-1', '--reason', 'known vendor']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^approved ${approvalId} as approver-1; the approval is now Approved$`, 'm'));
    assert.notEqual(await statusAfterPending(transferId), 'Pending');
    const approval = await cli.dfns.policies.getApproval({ approvalId });
    assert.deepEqual(
      approval.decisions.map((decision) => [decision.value, decision.reason]),
      [['Approved', 'known vendor']],
    );

    const again = await cli.run('approvals', ['approve', approvalId, '--as', 'approver-2']);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      new RegExp(`^approvals: approval ${approvalId} is not pending \\(it is Approved\\)$`, 'm'),
    );
  });

  it('deny ends the transfer Rejected', async () => {
    const { approvalId, transferId } = await bigTransfer('denied');
    const run = await cli.run('approvals', ['deny', approvalId, '--as', 'approver-2', '--reason', 'unknown vendor']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^denied ${approvalId} as approver-2; the approval is now Denied$`, 'm'));
    assert.equal(await statusAfterPending(transferId), 'Rejected');
  });

  it('refuses bad input and unknown approvals with one line', async () => {
    const cases: [string[], number, RegExp][] = [
      [['approve', 'ap-x'], 1, /^approvals: no approver identity: pass --as approver-1/],
      [['deny', 'ap-x', '--as', 'approver-1'], 1, /^approvals: deny needs --reason TEXT/],
      [['approve', '--as', 'approver-1'], 1, /^approvals: expected one APPROVAL_ID, got 0/],
      [
        ['approve', 'ap-x', '--as', 'approver-9'],
        1,
        /^approvals: --as approver-9: no such approver .*\(it has: approver-1, approver-2, approver-3\)/,
      ],
      [['approve', 'ap-doesnotexist', '--as', 'approver-1'], 2, /^approvals: approval ap-doesnotexist not found$/m],
    ];
    for (const [args, code, pattern] of cases) {
      const run = await cli.run('approvals', args);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, pattern, args.join(' '));
    }
  });
});
