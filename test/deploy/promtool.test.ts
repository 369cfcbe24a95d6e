import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));
const run = (...args: string[]): string =>
  execFileSync('promtool', args, { cwd: DIR, encoding: 'utf8', stdio: 'pipe' });

// promtool comes from Debian's `prometheus` package (scripts/install-system-deps.sh); without it these tests fail.
describe('Prometheus alert rules (promtool)', () => {
  it('are valid rules', () => {
    assert.match(run('check', 'rules', 'alerts.yml'), /SUCCESS: \d+ rules found/);
  });

  it('pass their unit tests', () => {
    assert.match(run('test', 'rules', 'alerts.test.yml'), /SUCCESS/);
  });

  it('have a test series that fires each alert, and each alert a summary and a runbook', () => {
    const rules = readFileSync(`${DIR}alerts.yml`, 'utf8');
    const tests = readFileSync(`${DIR}alerts.test.yml`, 'utf8');
    const alerts = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map((m) => m[1] as string);
    assert.ok(alerts.length >= 14, alerts.join(', '));
    const fired = new Set([...tests.matchAll(/alertname: (\w+)\n\s*exp_alerts:\n\s*- exp_labels:/g)].map((m) => m[1]));
    const quiet = new Set([...tests.matchAll(/alertname: (\w+)\n\s*exp_alerts: \[\]/g)].map((m) => m[1]));
    assert.deepEqual(
      alerts.filter((alert) => !fired.has(alert)),
      [],
      'alerts no test fires',
    );
    assert.deepEqual(
      alerts.filter((alert) => !quiet.has(alert)),
      [],
      'alerts no test keeps quiet',
    );
    const blocks = rules.split(/^\s*- alert: /m).slice(1);
    for (const block of blocks)
      assert.match(block, /summary: [\s\S]*runbook: [\s\S]*Temporal UI/, block.split('\n')[0]);
  });
});
