import { bundleWorkflowCode } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { workflowBundleOptions } from '../../src/temporal/workflow-bundle';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('workflow bundle', () => {
  it('bundles the workflows with the Temporal bundler (no Node-only modules reach workflow code)', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet });
    assert.ok(code.length > 10_000);
    assert.match(code, /paymentWorkflow/);
  });

  it('keeps zod and the address codecs out: each cached workflow evaluates every bundled module again', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet });
    const packages = new Set([...code.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g)].map((m) => m[1]));
    for (const heavy of ['zod', '@noble/hashes', '@scure/base']) {
      assert.ok(!packages.has(heavy), `${heavy} is in the workflow bundle (packages: ${[...packages].join(', ')})`);
    }
    // The edge's schemas stay out too; the workflow checks signal payloads with payment-update-check.ts.
    assert.doesNotMatch(code, /src\/contracts\/(payment-request|payment-update|transfer-update|approval-update)\.ts/);
    assert.match(code, /src\/contracts\/payment-update-check\.ts/);
  });

  it('preloads the workflow modules once, and none of ours keeps state at module scope (they are shared)', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet });
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    assert.match(preload, /"\.\/workflows\/index\.ts"/, 'the workflows entry is preloaded');
    // Every module of ours in the bundle is then shared by all workflows: module scope may hold constants,
    // functions and activity proxies, never a variable or a collection one workflow could change under another.
    const ours = [...code.matchAll(/\n\/\*\*\*\/ "\.\/((?:src|workflows)\/[^"]+\.ts)"\n/g)].map((m) => m[1]!);
    assert.ok(ours.length > 20, `our bundled modules: ${ours.length}`);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const problems: string[] = [];
    for (const file of ours) {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const list = statement.declarationList;
        const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
        if (!(list.flags & ts.NodeFlags.Const)) problems.push(`${file}:${line} declares a module-scope variable`);
        for (const declaration of list.declarations) {
          const init = declaration.initializer;
          if (init && ts.isNewExpression(init) && /^(Map|Set|WeakMap|WeakSet)$/.test(init.expression.getText())) {
            problems.push(`${file}:${line} holds a ${init.expression.getText()} at module scope`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
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
