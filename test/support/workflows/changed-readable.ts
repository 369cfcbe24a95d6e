// `readableWorkflow` as a later change would break it: a timer first, without patched(). A run of it is a history the
// real readableWorkflow cannot replay. Test code.
import { sleep } from '@temporalio/workflow';

export async function readableWorkflow(): Promise<number> {
  await sleep(1);
  return 0;
}
