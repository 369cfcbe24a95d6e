import { bundleWorkflowCode } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WORKFLOWS_PATH } from '../../src/temporal/payment-worker';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('workflow bundle', () => {
  it('bundles the workflows with the Temporal bundler (no Node-only modules reach workflow code)', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
    assert.ok(code.length > 10_000);
    assert.match(code, /paymentWorkflow/);
  });

  it('keeps zod and the address codecs out: each cached workflow evaluates every bundled module again', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
    const packages = new Set([...code.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g)].map((m) => m[1]));
    for (const heavy of ['zod', '@noble/hashes', '@scure/base']) {
      assert.ok(!packages.has(heavy), `${heavy} is in the workflow bundle (packages: ${[...packages].join(', ')})`);
    }
    // The edge's schemas stay out too; the workflow checks signal payloads with payment-update-check.ts.
    assert.doesNotMatch(code, /src\/contracts\/(payment-request|payment-update|transfer-update|approval-update)\.ts/);
    assert.match(code, /src\/contracts\/payment-update-check\.ts/);
  });

  it('rejects workflow code that imports a Node built-in, which is what the guard is for', async () => {
    // Inside the project, so the bundler resolves @temporalio/workflow as it would for real workflow code.
    const scratch = fileURLToPath(new URL('../../.local', import.meta.url));
    mkdirSync(scratch, { recursive: true });
    const dir = mkdtempSync(join(scratch, 'bad-workflow-'));
    try {
      const path = join(dir, 'bad.ts');
      writeFileSync(
        path,
        "import { readFileSync } from 'fs';\nexport async function bad(): Promise<string> { return readFileSync('/etc/hostname', 'utf8'); }\n",
      );
      await assert.rejects(bundleWorkflowCode({ workflowsPath: path, logger: quiet }), /disallowed modules:\s*- 'fs'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
