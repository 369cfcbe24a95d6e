import { ESLint } from 'eslint';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rule messages ESLint reports for `text` linted as the file at `path`. */
async function messages(path: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: `${root}/${path}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? ''}: ${message.message}`);
}

describe('lint: a read never runs a workflow ahead of its history', { timeout: 120_000 }, () => {
  const file = 'src/client/payment-client.ts';
  const source = readFileSync(`${root}/${file}`, 'utf8');

  it('refuses a query of a workflow outside the read module', async () => {
    const added = `${source}\nexport const q = (c: Client) => c.workflow.getHandle('x').query(paymentStateQuery);\n`;
    const found = await messages(file, added);
    assert.ok(
      found.some((line) => line.startsWith('no-restricted-properties:') && line.includes('readWorkflow()')),
      found.join('\n'),
    );
  });

  it('refuses a raw queryWorkflow call too', async () => {
    const added = `${source}\nexport const q = (c: Client) => c.workflowService.queryWorkflow({});\n`;
    const found = await messages(file, added);
    assert.ok(
      found.some((line) => line.includes('readWorkflow()')),
      found.join('\n'),
    );
  });

  it('allows the code as it is, and the read module its query of closed runs', async () => {
    assert.deepEqual(await messages(file, source), []);
    const reads = 'src/temporal/workflow-reads.ts';
    assert.deepEqual(await messages(reads, readFileSync(`${root}/${reads}`, 'utf8')), []);
  });
});
