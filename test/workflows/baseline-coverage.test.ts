import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BASELINES, OUTSIDE_BASELINES } from '../../workflows/baseline';
import { PAYMENT_BASELINE } from '../../src/contracts/payment-messages';

const WORKFLOWS_DIR = join(import.meta.dirname, '..', '..', 'workflows');

interface PatchCall {
  file: string;
  call: 'patched' | 'deprecatePatch' | 'changed';
  id: string;
}

/** Every patched(), deprecatePatch() and changed() call in workflows/, its id resolved from the file's constants. */
function patchCalls(): PatchCall[] {
  const calls: PatchCall[] = [];
  for (const file of readdirSync(WORKFLOWS_DIR).filter((name) => name.endsWith('.ts'))) {
    if (file === 'baseline.ts') continue; // changed() itself, which passes its argument on
    const source = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
    const constants = new Map(
      [...source.matchAll(/const ([A-Z0-9_]+) = '([^']+)'/g)].map((m) => [m[1]!, m[2]!] as const),
    );
    const resolve = (argument: string): string => {
      const literal = /^'([^']+)'$/.exec(argument);
      const id = literal ? literal[1] : constants.get(argument);
      assert.ok(id, `${file}: cannot tell which patch ${argument} names`);
      return id;
    };
    for (const m of source.matchAll(/\b(patched|deprecatePatch)\(\s*([^),\s]+)\s*\)/g)) {
      calls.push({ file, call: m[1] as PatchCall['call'], id: resolve(m[2]!) });
    }
    for (const m of source.matchAll(/\bchanged\(\s*[^,()]+,\s*([^),\s]+)\s*\)/g)) {
      calls.push({ file, call: 'changed', id: resolve(m[1]!) });
    }
  }
  return calls;
}

describe('every patch in workflows/ is in a baseline or stays under patched()', () => {
  const calls = patchCalls();
  /** The changes the baseline new payments get takes: every earlier baseline's too. */
  const baseline: readonly string[] = BASELINES[PAYMENT_BASELINE] ?? [];

  it('each baseline takes every change of the one before it', () => {
    const numbers = Object.keys(BASELINES)
      .map(Number)
      .sort((a, b) => a - b);
    assert.equal(numbers.at(-1), PAYMENT_BASELINE, 'new payments get the latest baseline');
    for (const [i, n] of numbers.entries()) {
      if (i === 0) continue;
      for (const id of BASELINES[numbers[i - 1]!]!) assert.ok(BASELINES[n]!.includes(id), `baseline ${n} lacks ${id}`);
    }
  });

  it('finds the calls', () => {
    assert.ok(calls.length >= baseline.length + Object.keys(OUTSIDE_BASELINES).length, JSON.stringify(calls));
  });

  it("a baseline's changes are asked only through changed(), and each of them is asked", () => {
    for (const call of calls.filter((c) => baseline.includes(c.id))) {
      assert.equal(
        call.call,
        'changed',
        `${call.file}: ${call.id} is in baseline ${PAYMENT_BASELINE}: ask changed(), not ${call.call}()`,
      );
    }
    const asked = new Set(calls.filter((c) => c.call === 'changed').map((c) => c.id));
    assert.deepEqual([...asked].sort(), [...baseline].sort());
  });

  it('every other patch is listed outside the baselines, with its reason, and asked through patched()', () => {
    const others = calls.filter((c) => !baseline.includes(c.id));
    for (const call of others) {
      assert.ok(
        call.id in OUTSIDE_BASELINES,
        `${call.file}: ${call.id} is in no baseline: list it in OUTSIDE_BASELINES (workflows/baseline.ts)`,
      );
      assert.notEqual(call.call, 'changed', `${call.file}: ${call.id} is in no baseline, changed() would take it`);
    }
    assert.deepEqual(
      [...new Set(others.map((c) => c.id))].sort(),
      Object.keys(OUTSIDE_BASELINES).sort(),
      'OUTSIDE_BASELINES names only patches still asked',
    );
    for (const id of Object.keys(OUTSIDE_BASELINES)) assert.ok(!baseline.includes(id), `${id} is in a baseline too`);
  });
});
