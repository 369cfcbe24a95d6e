// What workflows/baseline.ts does for a payment started with a baseline: patched() asked only while replaying.
import { patched, sleep, workflowInfo } from '@temporalio/workflow';

export async function patchProbe(): Promise<string> {
  if (workflowInfo().unsafe.isReplaying) patched('probe');
  await sleep(1000);
  return 'new';
}
