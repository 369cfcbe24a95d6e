// Step 3: no call left.
import { sleep } from '@temporalio/workflow';

export async function patchProbe(): Promise<string> {
  await sleep(1000);
  return 'new';
}
