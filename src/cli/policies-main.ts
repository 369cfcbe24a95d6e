import type { Config } from '../config';
import { resolveDfnsCredentials } from '../dfns/credentials';
import { dfnsBudget } from '../dfns/dfns-budget';
import { createDfnsClient } from '../dfns/dfns-client';
import { operatorPolicies } from '../dfns/operator-budget';
import { applyPolicyPlan } from '../policies/apply-policy-plan';
import { dfnsErrorLine } from '../dfns/dfns-error';
import { formatApplyResults, formatPlan } from '../policies/format-plan';
import { loadPolicyFile, PolicyFileError, policyFilePath } from '../policies/load-policy-file';
import { listActivePolicies } from '../policies/org-policies';
import { computePolicyPlan, type PolicyPlan } from '../policies/policy-plan';
import { resolvePolicyValues } from '../policies/policy-values';
import { resolvePolicyFile } from '../policies/resolve-placeholders';
import { parseCommandArgs } from './parse-command-args';
import { runCli, UsageError } from './run-cli';

const USAGE = `usage:
  policies plan  --set standard|high-volume [--file PATH] [--json]
  policies apply --set standard|high-volume [--file PATH]

  plan shows what apply would change in the org: create, update (with the changed fields), unchanged, archive.
  --file reads another copy of a set's file instead of policies/<set>.json.
  Org-specific values come from DFNS_APPROVER_USER_IDS, PAYMENT_RECIPIENT_WHITELIST, POLICY_WALLET_IDS and
  POLICY_AUTO_REJECT_TIMEOUT_MINUTES (see docs/policies.md).
  COMMAND --help explains a command, with an example.`;

/** A usage or input error: printed as is, exit code 1. */

interface Prepared {
  plan: PolicyPlan;
  header: string[];
  warnings: string[];
  policies: ReturnType<typeof operatorPolicies>;
  json: boolean;
}

async function prepare(args: string[], config: Config): Promise<Prepared> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    options: { set: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.set && !values.file) throw new UsageError('--set is required (standard or high-volume)');
  const path = values.file ?? policyFilePath(values.set as string);
  const file = loadPolicyFile(path);
  if (values.set && file.set !== values.set)
    throw new UsageError(`--set ${values.set} does not match the file's set "${file.set}" (${path})`);

  const policyValues = resolvePolicyValues(config);
  const { desired, warnings } = resolvePolicyFile(file, policyValues);
  const credentials = resolveDfnsCredentials(config);
  const policies = operatorPolicies(createDfnsClient(credentials), dfnsBudget(config).requestsPerSecond);
  let actual;
  try {
    actual = await listActivePolicies(policies);
  } catch (error) {
    throw new UsageError(`cannot list the org's policies at ${credentials.baseUrl}: ${dfnsErrorLine(error)}`);
  }
  const header = [
    `set "${file.set}" version ${file.version} (${path})`,
    `org ${credentials.baseUrl} (${credentials.source})`,
    `values: approvers from ${policyValues.sources.approverIds}, wallets from ${policyValues.sources.walletIds}, ` +
      `whitelist from ${policyValues.sources.recipientWhitelist}, auto-reject after ${policyValues.autoRejectTimeout} min`,
  ];
  return { plan: computePolicyPlan(desired, actual), header, warnings, policies, json: values.json === true };
}

async function plan(args: string[], config: Config): Promise<number> {
  const prepared = await prepare(args, config);
  if (prepared.json) {
    console.log(JSON.stringify({ plan: prepared.plan, warnings: prepared.warnings }, null, 2));
    return 0;
  }
  for (const line of [
    ...prepared.header,
    ...prepared.warnings.map((warning) => `warning: ${warning}`),
    ...formatPlan(prepared.plan),
  ]) {
    console.log(line);
  }
  return 0;
}

async function apply(args: string[], config: Config): Promise<number> {
  const prepared = await prepare(args, config);
  if (prepared.json) throw new UsageError('--json is for plan only');
  for (const line of [...prepared.header, ...prepared.warnings.map((warning) => `warning: ${warning}`)])
    console.log(line);
  const results = await applyPolicyPlan(prepared.plan, prepared.policies);
  for (const line of formatApplyResults(results)) console.log(line);
  return results.some((result) => result.outcome === 'failed') ? 1 : 0;
}

runCli({
  name: 'policies',
  usage: USAGE,
  help: {
    plan: {
      summary: 'Shows what `apply` would change in the org, policy by policy, and changes nothing.',
      examples: ['npm run policies -- plan --set standard', 'npm run policies -- plan --set high-volume --json'],
    },
    apply: {
      summary: 'Applies the plan: creates, updates and archives policies; a second apply has nothing to do.',
      examples: ['npm run policies -- apply --set standard'],
    },
  },
  commands: { plan, apply },
  expected: (error) =>
    error instanceof PolicyFileError ? { lines: [`policies: ${error.message}`], code: 1 } : undefined,
});
