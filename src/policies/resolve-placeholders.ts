import { ConfigError } from '../config';
import type { DfnsPolicyBody } from '../dfns/policy-schema';
import type { DesiredPolicySet } from './desired-policy-set';
import { NETWORK_NAMES } from '../contracts/networks';
import type { PolicyFile, PolicyTemplate } from './policy-file-schema';
import type { PolicyValues } from './policy-values';

type Action = DfnsPolicyBody['action'];
type Group = Extract<Action, { kind: 'RequestApproval' }>['approvalGroups'][number];
type TemplateAction = PolicyTemplate['action'];
type TemplateGroup = Extract<TemplateAction, { kind: 'RequestApproval' }>['approvalGroups'][number];

/** A resolved set plus what the operator should know about the values that went into it. */
export interface ResolvedPolicySet {
  desired: DesiredPolicySet;
  warnings: string[];
}

function resolveGroup(group: TemplateGroup, values: PolicyValues, policyName: string): Group {
  const listed = group.approvers.userId?.in;
  let approvers: Group['approvers'] = {};
  if (Array.isArray(listed)) approvers = { userId: { in: listed } };
  else if (listed) {
    const compliance = listed.$org === 'complianceApprovers';
    const ids = (compliance ? values.complianceApproverIds : values.approverIds) ?? [];
    const variable = compliance ? 'DFNS_COMPLIANCE_APPROVER_USER_IDS' : 'DFNS_APPROVER_USER_IDS';
    const source = (compliance ? values.sources.complianceApproverIds : values.sources.approverIds) ?? variable;
    if (ids.length < listed.count) {
      throw new ConfigError(
        `"${policyName}" needs ${listed.count} ${compliance ? 'compliance ' : ''}approver user ids, ${ids.length} configured (${source}): ` +
          `set ${variable} to a comma-separated list of us-… ids`,
      );
    }
    approvers = { userId: { in: ids.slice(0, listed.count) } };
  }
  return {
    ...(group.name !== undefined ? { name: group.name } : {}),
    quorum: group.quorum,
    approvers,
    ...(group.initiatorCanApprove !== undefined ? { initiatorCanApprove: group.initiatorCanApprove } : {}),
  };
}

function resolveAction(action: TemplateAction, values: PolicyValues, policyName: string): Action {
  if (action.kind !== 'RequestApproval') return { kind: action.kind };
  const timeout = action.autoRejectTimeout;
  return {
    kind: 'RequestApproval',
    approvalGroups: action.approvalGroups.map((group) => resolveGroup(group, values, policyName)),
    ...(timeout === undefined
      ? {}
      : { autoRejectTimeout: timeout !== null && typeof timeout === 'object' ? values.autoRejectTimeout : timeout }),
  };
}

function resolvePolicy(template: PolicyTemplate, values: PolicyValues, warnings: string[]): DfnsPolicyBody {
  const { name, rule, filters } = template;
  let resolvedRule: DfnsPolicyBody['rule'];
  if (rule.kind === 'TransactionRecipientWhitelist') {
    const listed = rule.configuration.addresses;
    const addresses = Array.isArray(listed) ? listed : values.recipientWhitelist;
    if (addresses.length === 0) {
      warnings.push(
        `the recipient whitelist of "${name}" is empty, so Dfns triggers it for EVERY transfer (set PAYMENT_RECIPIENT_WHITELIST)`,
      );
    }
    resolvedRule = { kind: rule.kind, configuration: { addresses } };
  } else resolvedRule = rule;

  let resolvedFilters: DfnsPolicyBody['filters'];
  if (filters && '$org' in filters) {
    // An empty wallet list means "no filter", never `in: []`, which would match no wallet at all.
    if (values.walletIds.length > 0) resolvedFilters = { walletId: { in: values.walletIds } };
  } else resolvedFilters = filters;

  return {
    name,
    activityKind: template.activityKind,
    rule: resolvedRule,
    action: resolveAction(template.action, values, name),
    ...(resolvedFilters ? { filters: resolvedFilters } : {}),
  };
}

/** Fills a file's `{"$org": …}` placeholders from configuration; throws ConfigError when a value is missing. */
export function resolvePolicyFile(file: PolicyFile, values: PolicyValues): ResolvedPolicySet {
  const warnings: string[] = [];
  const policies = file.policies.map((template) => resolvePolicy(template, values, warnings));
  const usesWalletFilter = file.policies.some((template) => template.filters && '$org' in template.filters);
  if (usesWalletFilter && values.walletIds.length === 0) {
    warnings.push('no wallet filter configured (POLICY_WALLET_IDS), so the policies apply to every wallet of the org');
  }
  if (file.screening) warnings.push(...screeningWarnings(file));
  return { desired: { set: file.set, version: file.version, policies }, warnings };
}

/**
 * Which of the orchestrator's networks the screening provider does not cover (for native coins, for ERC-20 tokens),
 * and what the set's fallback behaviours then do: pass them unscreened, or trigger (block or hold every transfer).
 */
export function screeningWarnings(file: PolicyFile): string[] {
  const coverage = file.screening;
  if (!coverage) return [];
  const uncovered = NETWORK_NAMES.filter((network) => !coverage.networks.Native.includes(network));
  const screening = file.policies.flatMap((policy) =>
    policy.rule.kind === 'ChainalysisTransactionPrescreening' ? [{ name: policy.name, rule: policy.rule }] : [],
  );
  return screening.map(({ name, rule }) => {
    const skip = rule.configuration.fallbackBehaviours.skipUnsupportedNetwork;
    const effect = skip ? 'pass unscreened (skipUnsupportedNetwork)' : 'trigger it on every transfer (fail closed)';
    return (
      `"${name}": Chainalysis screens ${coverage.networks.Native.length} networks (${coverage.source}); ` +
      `transfers on ${uncovered.join(', ')} ${effect}`
    );
  });
}
