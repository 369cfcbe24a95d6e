// Step 2: the old branch removed, the patch deprecated.
import { deprecatePatch, sleep } from '@temporalio/workflow';

export async function patchProbe(): Promise<string> {
  deprecatePatch('probe');
  await sleep(1000);
  return 'new';
}
