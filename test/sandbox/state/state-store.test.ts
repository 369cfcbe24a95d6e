import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createInitialState } from '../../../sandbox/src/bootstrap/bootstrap';
import { createStateStore, loadState } from '../../../sandbox/src/state/state-store';
import { tempDir } from '../helpers';

describe('state store', () => {
  it('coalesces bursts into atomic writes, reloads them, and stops writing once closed', async () => {
    const tmp = await tempDir();
    try {
      const file = join(tmp.dir, 'deep', 'state.json');
      const store = createStateStore(createInitialState(Date.now(), 'http://127.0.0.1:1/x'), file);
      for (let i = 0; i < 50; i += 1) {
        store.state.org.name = `org ${i}`;
        store.changed();
      }
      await store.flush();
      const loaded = await loadState(file);
      assert.equal(loaded?.org.name, 'org 49');
      assert.deepEqual(loaded, store.state);
      assert.deepEqual(await readdir(join(tmp.dir, 'deep')), ['state.json'], 'no temp files left behind');

      await store.close();
      store.state.org.name = 'after close';
      store.changed();
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(JSON.parse(await readFile(file, 'utf8')).org.name, 'org 49');
    } finally {
      await tmp.remove();
    }
  });

  it('treats a missing file as a first start and refuses a corrupt one with a clear message', async () => {
    const tmp = await tempDir();
    try {
      assert.equal(await loadState(join(tmp.dir, 'absent.json')), undefined);
      const broken = join(tmp.dir, 'broken.json');
      await writeFile(broken, '{"version":1,"org":{}}');
      await assert.rejects(loadState(broken), /is invalid .*delete it to start afresh/);
      await writeFile(broken, '{not json');
      await assert.rejects(loadState(broken), /not valid JSON/);
    } finally {
      await tmp.remove();
    }
  });
});
