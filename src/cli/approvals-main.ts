import { toApprovalRow } from '../approvals/approval-row';
import { decideApproval, DecisionRefusedError } from '../approvals/decide-approval';
import { formatApprovalRow } from '../approvals/format-approval-row';
import { listPendingApprovals, policyNamesFor } from '../approvals/list-approvals';
import type { Config } from '../config';
import { NO_APPROVER_MESSAGE, resolveApproverIdentity, resolveDfnsCredentials } from '../dfns/credentials';
import { dfnsBudget } from '../dfns/dfns-budget';
import { createDfnsClient } from '../dfns/dfns-client';
import { operatorPolicies } from '../dfns/operator-budget';
import { dfnsErrorLine } from '../dfns/dfns-error';
import { parseCommandArgs } from './parse-command-args';
import { runCli, UsageError } from './run-cli';

const USAGE = `usage:
  approvals list [--json] [--as NAME]
  approvals approve APPROVAL_ID [--reason TEXT] [--as NAME]
  approvals deny APPROVAL_ID --reason TEXT [--as NAME]

  Decisions are signed by an approver's own key: --as NAME picks one of the sandbox's approvers
  (approver-1, approver-2, approver-3), otherwise DFNS_APPROVER_AUTH_TOKEN, DFNS_APPROVER_CRED_ID and
  DFNS_APPROVER_PRIVATE_KEY (or _FILE) name a real org's approver. The service account never approves.
  list reads as the approver when one is given, else as the service account.
  Dfns calls are paced to the operators' share of DFNS_REQUESTS_PER_MINUTE (5 %; a signed call counts 3).
  Exit codes: 0 done, 1 bad input or configuration, 2 Dfns refused or could not be reached.
  COMMAND --help explains a command, with an example.`;

/** A usage or input error: printed as is, exit code 1. */

/** Dfns refused or was unreachable: printed as is, exit code 2. */
class DfnsCallError extends Error {}

async function list(args: string[], config: Config): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    options: { json: { type: 'boolean' }, as: { type: 'string' } },
  });
  const approver = resolveApproverIdentity(config, values.as);
  const credentials = approver?.credentials ?? resolveDfnsCredentials(config);
  const policies = operatorPolicies(createDfnsClient(credentials), dfnsBudget(config).requestsPerSecond);
  let rows;
  try {
    const approvals = await listPendingApprovals(policies);
    const names = await policyNamesFor(policies, approvals);
    rows = approvals.map((approval) => toApprovalRow(approval, names));
  } catch (error) {
    throw new DfnsCallError(`cannot list approvals at ${credentials.baseUrl}: ${dfnsErrorLine(error)}`);
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log('no pending approvals');
  else for (const row of rows) console.log(formatApprovalRow(row).join('\n'));
  return 0;
}

async function decide(args: string[], config: Config, value: 'Approved' | 'Denied'): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { reason: { type: 'string' }, as: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one APPROVAL_ID, got ${positionals.length}`);
  const approvalId = positionals[0] as string;
  if (value === 'Denied' && !values.reason?.trim())
    throw new UsageError('deny needs --reason TEXT: the initiator is told why');
  const approver = resolveApproverIdentity(config, values.as);
  if (!approver) throw new UsageError(NO_APPROVER_MESSAGE);
  const policies = operatorPolicies(createDfnsClient(approver.credentials), dfnsBudget(config).requestsPerSecond);
  const input = { approvalId, value, ...(values.reason !== undefined ? { reason: values.reason } : {}) };
  const after = await decideApproval(policies, input, approver);
  const verb = value === 'Approved' ? 'approved' : 'denied';
  const state =
    after.status === 'Pending' ? 'still Pending: other approvers must reach their quorum' : `now ${after.status}`;
  console.log(`${verb} ${approvalId} as ${approver.label}; the approval is ${state}`);
  return 0;
}

runCli({
  name: 'approvals',
  usage: USAGE,
  help: {
    list: {
      summary: 'Lists the pending approvals: payment, amount, recipient, why it was held, and when it expires.',
      examples: ['npm run approvals -- list', 'npm run approvals -- list --json --as approver-2'],
    },
    approve: {
      summary: "Approves, signed with the approver's own key; the payment goes on once its groups reach their quorum.",
      examples: ['npm run approvals -- approve ap-… --as approver-1 --reason "invoice checked"'],
    },
    deny: {
      summary: 'Denies, with a reason: the payment ends Rejected with it.',
      examples: ['npm run approvals -- deny ap-… --reason "unknown recipient" --as approver-2'],
    },
  },
  commands: {
    list,
    approve: (args, config) => decide(args, config, 'Approved'),
    deny: (args, config) => decide(args, config, 'Denied'),
  },
  expected: (error) =>
    error instanceof DecisionRefusedError || error instanceof DfnsCallError
      ? { lines: [`approvals: ${error.message}`], code: 2 }
      : undefined,
});
