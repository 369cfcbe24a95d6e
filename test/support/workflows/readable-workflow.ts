// A workflow read the way the product reads its workflows (workflows/read-handler.ts): a counter that signals move,
// a read Update refused once `fill` says the run is full, and a query for once it has closed. Test code.
import { condition, continueAsNew, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import { setReadHandler } from '../../../workflows/read-handler';

export const bumpSignal = defineSignal('bump');
/** Makes the run refuse reads, as one due to continue as new does. */
export const fillSignal = defineSignal('fill');
export const finishSignal = defineSignal('finish');
export const countQuery = defineQuery<number>('count');
export const countUpdate = defineUpdate<number>('count');

export async function readableWorkflow(): Promise<number> {
  let count = 0;
  let full = false;
  let finished = false;
  setHandler(bumpSignal, () => void (count += 1));
  setHandler(fillSignal, () => void (full = true));
  setHandler(finishSignal, () => void (finished = true));
  setHandler(countQuery, () => count);
  setReadHandler(
    countUpdate,
    () => count,
    () => full,
  );
  await condition(() => finished);
  return count;
}

/** Continues as new until `runs` runs have run, then returns how many did. */
export async function relayWorkflow(runs: number, run = 1): Promise<number> {
  if (run >= runs) return run;
  return continueAsNew<typeof relayWorkflow>(runs, run + 1);
}
