import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { policyFilePath } from '../../src/policies/load-policy-file';
import { startSandboxCli, type SandboxCli } from './sandbox-cli';

describe('policies CLI against the sandbox', { timeout: 120_000 }, () => {
  let cli: SandboxCli;
  before(async () => {
    cli = await startSandboxCli();
  });
  after(async () => {
    await cli?.close();
  });

  const activeNames = async () => {
    const { items } = await cli.dfns.policies.listPolicies({ query: { status: 'Active' } });
    return items.map((policy) => policy.name).sort();
  };

  /** A copy of the standard file with `patch` applied, for plans of changed files. */
  const copyOfStandard = async (name: string, patch: (json: ReturnType<typeof JSON.parse>) => void) => {
    const json = JSON.parse(await readFile(policyFilePath('standard'), 'utf8'));
    patch(json);
    const path = join(cli.dir, name);
    await writeFile(path, JSON.stringify(json));
    return path;
  };

  it('plans three creates for an empty org, warning about the empty whitelist', async () => {
    const run = await cli.run('policies', ['plan', '--set', 'standard']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\s+\+ create\s+standard: velocity limit$/m);
    assert.match(run.stdout, /^\s+\+ create\s+standard: large payments$/m);
    assert.match(run.stdout, /^\s+\+ create\s+standard: new recipients$/m);
    assert.match(run.stdout, /^3 to create$/m);
    assert.match(run.stdout, /^warning: the recipient whitelist of "standard: new recipients" is empty/m);
    assert.match(
      run.stdout,
      /^values: approvers from the sandbox credentials file, wallets from the sandbox credentials file, whitelist from PAYMENT_RECIPIENT_WHITELIST \(not set\), auto-reject after 1440 min$/m,
    );
    assert.deepEqual(await activeNames(), [], 'plan changes nothing');
  });

  it('applies the plan, then has nothing to do', async () => {
    const first = await cli.run('policies', ['apply', '--set', 'standard']);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(first.stdout.match(/: created plc-/g)?.length, 3, first.stdout);
    assert.deepEqual(await activeNames(), [
      'standard: large payments',
      'standard: new recipients',
      'standard: velocity limit',
    ]);

    const { items } = await cli.dfns.policies.listPolicies({ query: { status: 'Active' } });
    const large = items.find((policy) => policy.name === 'standard: large payments');
    const approvers = cli.sandbox.bootstrap.approvers.map((approver) => approver.userId);
    assert.deepEqual(large?.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: approvers.slice(0, 2) } } }],
      autoRejectTimeout: 1440,
    });
    assert.deepEqual(large?.filters, {
      walletId: { in: cli.sandbox.bootstrap.wallets.map((wallet) => wallet.walletId) },
    });

    const second = await cli.run('policies', ['apply', '--set', 'standard']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^nothing to do: 3 policies already match the file$/m);
    const plan = await cli.run('policies', ['plan', '--set', 'standard']);
    assert.match(plan.stdout, /^3 unchanged$/m);
  });

  it('turns a changed limit in a copy of the file into one update', async () => {
    const path = await copyOfStandard(
      'standard-20k.json',
      (json) => (json.policies[1].rule.configuration.limit = 20000),
    );
    const plan = await cli.run('policies', ['plan', '--file', path]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /~ update\s+standard: large payments \(plc-[^)]+\)\n\s+rule\.configuration\.limit: 10000 → 20000\n/,
    );
    assert.match(plan.stdout, /^1 to update, 2 unchanged$/m);

    const apply = await cli.run('policies', ['apply', '--file', path]);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, /~ update\s+standard: large payments: updated plc-/);
    assert.equal((await cli.run('policies', ['plan', '--file', path])).stdout.match(/^3 unchanged$/m)?.length, 1);
  });

  it('archives a policy the file no longer lists, and leaves other sets alone', async () => {
    await cli.run('policies', ['apply', '--set', 'high-volume']).then((run) => assert.equal(run.code, 0, run.stderr));
    const path = await copyOfStandard('standard-two.json', (json) => json.policies.splice(2, 1));
    const plan = await cli.run('policies', ['plan', '--file', path]);
    assert.match(plan.stdout, /- archive\s+standard: new recipients \(plc-[^)]+\): no longer in the file/);
    const apply = await cli.run('policies', ['apply', '--file', path]);
    assert.equal(apply.code, 0, apply.stderr);
    const names = await activeNames();
    assert.equal(names.includes('standard: new recipients'), false);
    assert.equal(names.filter((name) => name.startsWith('high-volume: ')).length, 3);
  });

  it('applies the compliance set beside the standard and high-volume ones: KYT screening, SEVERE Block, HIGH to the compliance group', async () => {
    const before = await activeNames();
    const plan = await cli.run('policies', ['plan', '--set', 'compliance']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^\s+\+ create\s+compliance: severe alerts$/m);
    assert.match(plan.stdout, /^\s+\+ create\s+compliance: high alerts$/m);
    assert.match(plan.stdout, /^2 to create$/m);
    assert.doesNotMatch(plan.stdout, /archive/, 'other sets are left alone');
    assert.match(
      plan.stdout,
      /^warning: "compliance: high alerts": Chainalysis screens 13 networks .*EthereumSepolia.* pass unscreened/m,
    );
    const apply = await cli.run('policies', ['apply', '--set', 'compliance']);
    assert.equal(apply.code, 0, apply.stderr + apply.stdout);
    assert.deepEqual(await activeNames(), [...before, 'compliance: high alerts', 'compliance: severe alerts'].sort());

    const { items } = await cli.dfns.policies.listPolicies({ query: { status: 'Active' } });
    const severe = items.find((policy) => policy.name === 'compliance: severe alerts');
    const high = items.find((policy) => policy.name === 'compliance: high alerts');
    assert.equal(severe?.rule.kind, 'ChainalysisTransactionPrescreening');
    assert.deepEqual(severe?.action, { kind: 'Block' });
    const lastApprover = cli.sandbox.bootstrap.approvers.at(-1)?.userId;
    assert.deepEqual(high?.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'compliance', quorum: 1, approvers: { userId: { in: [lastApprover] } } }],
      autoRejectTimeout: 1440,
    });
    const again = await cli.run('policies', ['plan', '--set', 'compliance']);
    assert.match(again.stdout, /^2 unchanged$/m);
    const highVolume = await cli.run('policies', ['plan', '--set', 'high-volume']);
    assert.match(highVolume.stdout, /^3 unchanged$/m);
  });

  it('refuses bad input with one clear line and exit 1', async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['plan'], /^policies: --set is required/],
      [['plan', '--set', 'nope'], /^policies: cannot read .*policies\/nope\.json \(ENOENT\)/],
      [
        ['plan', '--set', 'high-volume', '--file', policyFilePath('standard')],
        /does not match the file's set "standard"/,
      ],
      [['plan', '--set', 'standard', '--bogus'], /^policies: Unknown option '--bogus'/],
      [['frobnicate'], /^policies: unknown command "frobnicate"/],
      [
        ['plan', '--set', 'high-volume'],
        /needs 3 approver user ids, 1 configured \(DFNS_APPROVER_USER_IDS\)/,
        { DFNS_APPROVER_USER_IDS: 'us-only' },
      ],
      [
        ['plan', '--set', 'standard'],
        /POLICY_AUTO_REJECT_TIMEOUT_MINUTES: must be a number of minutes/,
        { POLICY_AUTO_REJECT_TIMEOUT_MINUTES: 'soon' },
      ],
    ];
    const broken = await copyOfStandard(
      'broken.json',
      (json) => (json.policies[0].rule.configuration.timeframe = 'daily'),
    );
    cases.push([
      ['plan', '--file', broken],
      /is not a valid policy file:\n\s+policies\[0\]\.rule\.configuration\.timeframe: /,
    ]);
    for (const [args, pattern, env] of cases) {
      const run = await cli.run('policies', args, env);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, pattern, args.join(' '));
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
