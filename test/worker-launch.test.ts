// Tests src/worker-launch.ts: which limits the worker still needs when it starts. That it starts itself again with
// them, passes signals on and ends as the worker ends is tested on real processes in
// test/integration/worker-relaunch.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config';
import { mainHeapMiB, MAX_MAIN_HEAP_MIB } from '../src/temporal/workflow-cache';
import { needsRelaunch, WORKER_MALLOC_ARENAS, workerLaunch } from '../src/worker-launch';

const launchFor = (env: Record<string, string>, execArgv: string[] = []) => workerLaunch(loadConfig(env), execArgv);

describe('workerLaunch', () => {
  it('asks for the main heap limit and two malloc arenas when nothing sets them (npm run worker, or the source under tsx)', () => {
    const launch = launchFor({}, ['--import', 'tsx']);
    assert.deepEqual(launch, {
      nodeFlags: ['--max-old-space-size=256'],
      env: { MALLOC_ARENA_MAX: String(WORKER_MALLOC_ARENAS) },
      mainHeapMiB: 256,
      operatorHeapLimit: false,
    });
    assert.equal(needsRelaunch(launch), true);
  });

  it('derives the main heap from WORKER_MEMORY_MIB: half of it, at most what the image gives', () => {
    assert.equal(mainHeapMiB(512), MAX_MAIN_HEAP_MIB);
    assert.equal(mainHeapMiB(4096), MAX_MAIN_HEAP_MIB);
    assert.equal(mainHeapMiB(384), 192);
    assert.equal(mainHeapMiB(128), 64);
    assert.deepEqual(launchFor({ WORKER_MEMORY_MIB: '300' }).nodeFlags, ['--max-old-space-size=150']);
  });

  it('needs nothing where the image has set both (its NODE_OPTIONS and MALLOC_ARENA_MAX)', () => {
    const launch = launchFor({ NODE_OPTIONS: '--max-old-space-size=256', MALLOC_ARENA_MAX: '2' });
    assert.deepEqual(launch.nodeFlags, []);
    assert.deepEqual(launch.env, {});
    assert.equal(launch.operatorHeapLimit, true);
    assert.equal(needsRelaunch(launch), false);
  });

  it("keeps the operator's heap limit, from NODE_OPTIONS or node's own flags, in any spelling", () => {
    for (const [env, execArgv] of [
      [{ NODE_OPTIONS: '--enable-source-maps --max-old-space-size=1024' }, []],
      [{ NODE_OPTIONS: '--max_old_space_size=1024' }, []],
      [{}, ['--max-old-space-size=1024']],
      [{ WORKER_MEMORY_MIB: '600' }, ['--import', 'tsx', '--max_old_space_size=1024']],
    ] as const) {
      const launch = launchFor({ ...env }, [...execArgv]);
      assert.deepEqual(launch.nodeFlags, [], JSON.stringify({ env, execArgv }));
      assert.equal(launch.mainHeapMiB, 1024);
      assert.equal(launch.operatorHeapLimit, true);
    }
    // Other NODE_OPTIONS are no heap limit.
    assert.deepEqual(launchFor({ NODE_OPTIONS: '--max-semi-space-size=16' }).nodeFlags, ['--max-old-space-size=256']);
  });

  it("keeps the operator's MALLOC_ARENA_MAX, and refuses one glibc cannot use", () => {
    assert.deepEqual(launchFor({ MALLOC_ARENA_MAX: '8' }).env, {});
    assert.throws(() => loadConfig({ MALLOC_ARENA_MAX: 'two' }), /MALLOC_ARENA_MAX/);
    assert.throws(() => loadConfig({ MALLOC_ARENA_MAX: '0' }), /MALLOC_ARENA_MAX/);
  });

  it("tells, in the worker it relaunched, its own flag from an operator's", () => {
    const relaunched = launchFor({ WORKER_RELAUNCHED: '1' }, ['--import', 'tsx', '--max-old-space-size=256']);
    assert.equal(relaunched.operatorHeapLimit, false);
    assert.equal(relaunched.mainHeapMiB, 256);
    // Relaunched only for the arenas: the operator's flag came first, and stays the operator's.
    const operators = launchFor({ WORKER_RELAUNCHED: '1', MALLOC_ARENA_MAX: '2' }, ['--max-old-space-size=700']);
    assert.equal(operators.operatorHeapLimit, true);
    assert.equal(operators.mainHeapMiB, 700);
  });

  it('accepts only the mark the worker sets on the process it starts', () => {
    assert.equal(loadConfig({ WORKER_RELAUNCHED: '1' }).WORKER_RELAUNCHED, '1');
    assert.throws(() => loadConfig({ WORKER_RELAUNCHED: 'yes' }), /WORKER_RELAUNCHED/);
  });
});
