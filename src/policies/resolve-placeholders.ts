import { ConfigError } from '../config';
import type { DfnsPolicyBody } from '../dfns/policy-schema';
import type { DesiredPolicySet } from './desired-policy-set';
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
    if (values.approverIds.length < listed.count) {
      throw new ConfigError(
        `"${policyName}" needs ${listed.count} approver user ids, ${values.approverIds.length} configured (${values.sources.approverIds}): ` +
          'set DFNS_APPROVER_USER_IDS to a comma-separated list of us-… ids',
      );
    }
    approvers = { userId: { in: values.approverIds.slice(0, listed.count) } };
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
  return { desired: { set: file.set, version: file.version, policies }, warnings };
}
