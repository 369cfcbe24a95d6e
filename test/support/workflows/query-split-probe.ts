// The smallest workflow that shows a read running a workflow ahead of its history: a signal handler that issues a
// command (an upsert, as the payment's publish() does), an activity, then a command after its result (a patch marker
// and a timer, as the payment's follow() issued). Test code: the tests bundle it on their own.
import {
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxySinks,
  setHandler,
  upsertSearchAttributes,
  type Sinks,
} from '@temporalio/workflow';
import { PaymentStatusKey } from '../../../src/contracts/search-attributes';

/** What the probe tells the worker it runs on (sinks run outside the workflow, after the activation). */
export interface ProbeSinks extends Sinks {
  probe: {
    /** A signal was folded into the state. */
    folded(name: string): void;
    /** A busy workflow's task is being processed. */
    busy(): void;
  };
}

/** One named event; `S` ends the probe. */
export const probeSignal = defineSignal<[string]>('probe');
/** What the probe has seen, read by a query (the read under test). */
export const probeQuery = defineQuery<string[]>('probeState');
/** The same, read by an Update, which rides a real workflow task. */
export const probeUpdate = defineUpdate<string[]>('probeState');

const { probe } = proxySinks<ProbeSinks>();
const { hold } = proxyActivities<{ hold(): Promise<void> }>({ startToCloseTimeout: '10 minutes' });

/** Records each signal (with an upsert), waits for the activity, then marks a patch and waits for `S`. */
export async function queryProbeWorkflow(): Promise<string[]> {
  const seen: string[] = [];
  let done = false;
  setHandler(probeSignal, (name) => {
    seen.push(name);
    upsertSearchAttributes([{ key: PaymentStatusKey, value: name }]);
    probe.folded(name);
    if (name === 'S') done = true;
  });
  setHandler(probeQuery, () => seen);
  setHandler(probeUpdate, () => seen);
  await hold();
  if (patched('probe-after-activity')) seen.push('patched');
  await condition(() => done, '1 day');
  return seen;
}

/** A workflow whose only task keeps a worker busy (the worker's sink decides for how long). */
export async function busyWorkflow(): Promise<void> {
  probe.busy();
  await Promise.resolve();
}
