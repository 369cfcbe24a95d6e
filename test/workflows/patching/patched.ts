// Step 1 of Temporal's patching procedure: the change guarded with patched().
import { patched, sleep } from '@temporalio/workflow';

export async function patchProbe(): Promise<string> {
  const branch = patched('probe') ? 'new' : 'old';
  await sleep(1000);
  return branch;
}
