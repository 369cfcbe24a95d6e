import type { ApplyResult } from './apply-policy-plan';
import type { PolicyPlan, PolicyPlanItem } from './policy-plan';

const SYMBOL: Record<PolicyPlanItem['op'], string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  pending: '…',
  archive: '-',
};

const show = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

function itemLines(item: PolicyPlanItem): string[] {
  const head = `  ${SYMBOL[item.op]} ${item.op.padEnd(9)} ${item.name}`;
  switch (item.op) {
    case 'create':
      return [head];
    case 'unchanged':
      return [`${head} (${item.policyId})`];
    case 'update':
      return [
        `${head} (${item.policyId})`,
        ...item.changes.map((change) => `      ${change.path}: ${show(change.from)} → ${show(change.to)}`),
      ];
    case 'pending': {
      const waiting = `${head} (${item.policyId}): a change waits for approval${item.approvalId ? ` ${item.approvalId}` : ''}`;
      return item.matchesFile
        ? [waiting]
        : [waiting, '      it differs from the file: run apply again once it is decided'];
    }
    case 'archive':
      return [`${head} (${item.policyId}): ${item.reason}`];
  }
}

/** The plan as the operator reads it: one line per policy, changed fields indented under updates. */
export function formatPlan(plan: PolicyPlan): string[] {
  const count = (op: PolicyPlanItem['op']) => plan.items.filter((item) => item.op === op).length;
  const summary = (['create', 'update', 'archive', 'unchanged', 'pending'] as const)
    .filter((op) => count(op) > 0)
    .map(
      (op) => `${count(op)} ${op === 'pending' ? 'pending approval' : op === 'unchanged' ? 'unchanged' : `to ${op}`}`,
    );
  return [...plan.items.flatMap(itemLines), summary.length > 0 ? summary.join(', ') : 'the file lists no policies'];
}

/** One line per applied item, and a closing line that says whether anything was done. */
export function formatApplyResults(results: ApplyResult[]): string[] {
  const line = ({ item }: ApplyResult, text: string) =>
    `  ${SYMBOL[item.op]} ${item.op.padEnd(9)} ${item.name}: ${text}`;
  const done = results.filter((result) => result.outcome !== 'skipped');
  const waiting = results.filter((result) => result.outcome === 'skipped' && result.item.op === 'pending');
  const lines = done.map((result) => {
    if (result.outcome === 'failed') return line(result, `FAILED: ${result.detail ?? ''}`);
    if (result.outcome === 'pending') return line(result, result.detail ?? 'pending approval');
    return line(result, `${result.outcome} ${result.detail ?? ''}`.trim());
  });
  for (const result of waiting) {
    const approvalId = result.item.op === 'pending' ? result.item.approvalId : undefined;
    lines.push(line(result, `still pending approval${approvalId ? ` ${approvalId}` : ''} (left alone)`));
  }
  if (done.length === 0) {
    const unchanged = results.filter((result) => result.item.op === 'unchanged').length;
    lines.push(
      `nothing to do: ${unchanged} ${unchanged === 1 ? 'policy already matches' : 'policies already match'} the file`,
    );
  }
  return lines;
}
