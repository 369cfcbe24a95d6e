import { userInfo } from 'node:os';
import type { Config } from '../config';
import { findingsCsv } from '../reconciliation/findings-csv';
import type { ReconciliationView } from '../reconciliation/reconciliation-view';
import { EXIT } from './exit-codes';
import { apiReconcile, connectTemporalReconcile, type ReconcileGateway } from './reconcile-gateway';
import { parseCommandArgs } from './parse-command-args';
import { UsageError } from './run-cli';

/** How the command prints: text for people, one JSON document, or the findings as CSV. */
type Output = { json: boolean; api?: string };

const gateway = (config: Config, api: string | undefined): Promise<ReconcileGateway> =>
  api ? Promise.resolve(apiReconcile(api, config.PAYMENTS_API_KEY)) : connectTemporalReconcile(config);

/** The reconciliation for people: what it covers, its latest run, and its findings. */
function describe(view: ReconciliationView): string[] {
  const lines = [`${view.reconciliationId}: ${view.wallets.length} wallet(s) ${view.wallets.join(', ')}`];
  const last = view.runs.at(-1);
  if (last) {
    const by = last.requestedBy ? ` by ${last.requestedBy}` : '';
    lines.push(
      `  run ${last.run} (${last.trigger}${by}) finished ${last.finishedAt}: ${last.newFindings} new finding(s)`,
    );
    for (const wallet of last.wallets) {
      const balance = wallet.balance ? `, balance ${wallet.balance}` : '';
      const error = wallet.error ? `, error: ${wallet.error}` : '';
      lines.push(
        `    ${wallet.walletId}: ${wallet.transfers} transfer(s) (${wallet.running} of running payments), ` +
          `${wallet.historyEvents} history event(s)${balance}, ${wallet.dfnsReads} Dfns read(s)${error}`,
      );
    }
  } else lines.push('  no run yet');
  if (view.running) lines.push(`  run ${view.running.run} in progress since ${view.running.startedAt}`);
  const open = view.findings.filter((finding) => !finding.acknowledged);
  const acknowledged = view.findings.filter((finding) => finding.acknowledged);
  const omitted = Object.entries(view.openOmitted).map(([kind, n]) => `${n} ${kind}`);
  lines.push(`  open findings: ${open.length}${omitted.length ? ` (and not listed: ${omitted.join(', ')})` : ''}`);
  for (const finding of open) lines.push(`    ${finding.kind.padEnd(19)} ${finding.id}`, `      ${finding.summary}`);
  if (acknowledged.length > 0 || view.acknowledgedOmitted > 0)
    lines.push(`  acknowledged: ${acknowledged.length + view.acknowledgedOmitted}`);
  for (const finding of acknowledged) {
    const ack = finding.acknowledged;
    lines.push(`    ${finding.kind.padEnd(19)} ${finding.id}`, `      by ${ack?.by} ${ack?.at}: ${ack?.reason}`);
  }
  return lines;
}

const openFindings = (view: ReconciliationView): number =>
  view.findings.filter((finding) => !finding.acknowledged).length +
  Object.values(view.openOmitted).reduce((sum, n) => sum + (n ?? 0), 0);

async function show(args: string[], config: Config, out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      run: { type: 'boolean' },
      full: { type: 'boolean' },
      csv: { type: 'boolean' },
      operator: { type: 'string' },
      wait: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one WALLET_ID, pool:NAME or reconciliation id`);
  if (values.full && !values.run) throw new UsageError('--full applies to --run');
  if (values.wait !== undefined && !/^[1-9][0-9]{0,4}$/.test(values.wait))
    throw new UsageError('--wait must be a whole number of seconds');
  const target = positionals[0] as string;
  const reconcile = await gateway(config, out.api);
  try {
    let view: ReconciliationView;
    if (values.run) {
      const waitMs = Number(values.wait ?? '600') * 1000;
      const operator = values.operator ?? userInfo().username;
      const ran = await reconcile.run(target, { full: values.full ?? false, operator, waitMs });
      if (!ran.finished) console.error('payments: the run goes on; read it again later with `payments reconcile`');
      view = ran.view;
    } else view = await reconcile.view(target);
    if (values.csv) process.stdout.write(findingsCsv(view.findings));
    else if (out.json) console.log(JSON.stringify(view, null, 2));
    else for (const line of describe(view)) console.log(line);
    // Open findings are what a scheduler or a script must notice.
    return openFindings(view) > 0 ? EXIT.notConfirmed : EXIT.ok;
  } finally {
    await reconcile.close();
  }
}

async function acknowledge(args: string[], config: Config, out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { finding: { type: 'string' }, reason: { type: 'string' }, operator: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one WALLET_ID, pool:NAME or reconciliation id`);
  if (!values.finding) throw new UsageError('--finding names the finding to acknowledge (its id)');
  if (!values.reason?.trim()) throw new UsageError('--reason is required: it is recorded with the acknowledgement');
  const reconcile = await gateway(config, out.api);
  try {
    const finding = await reconcile.acknowledge(positionals[0] as string, {
      findingId: values.finding,
      reason: values.reason,
      operator: values.operator ?? userInfo().username,
    });
    if (out.json) console.log(JSON.stringify(finding, null, 2));
    else console.log(`acknowledged ${finding.id} by ${finding.acknowledged?.by}: ${finding.acknowledged?.reason}`);
    return EXIT.ok;
  } finally {
    await reconcile.close();
  }
}

async function list(args: string[], config: Config, out: Output): Promise<number> {
  parseCommandArgs({ args, strict: true, options: {} });
  const reconcile = await gateway(config, out.api);
  try {
    const items = await reconcile.list();
    if (out.json) console.log(JSON.stringify({ items }, null, 2));
    else {
      for (const item of items)
        console.log(
          `${item.reconciliationId}  ${item.openFindings} open  ${item.running ? 'running' : 'closed'}  ${item.wallets.join(',')}`,
        );
      console.log(`${items.length} reconciliation(s)`);
    }
    return items.some((item) => item.openFindings > 0) ? EXIT.notConfirmed : EXIT.ok;
  } finally {
    await reconcile.close();
  }
}

/** `payments reconcile …`: show, run, acknowledge, list. */
export function reconcileCommand(args: string[], config: Config, out: Output): Promise<number> {
  const [first, ...rest] = args;
  if (first === 'ack') return acknowledge(rest, config, out);
  if (first === 'list') return list(rest, config, out);
  return show(args, config, out);
}
