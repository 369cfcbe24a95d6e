import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedFailure } from '../../src/contracts/failure-details';
import { HISTORIES_DIR } from './histories';

interface JsonFailure {
  message: string;
  applicationFailureInfo?: { type?: string; details?: { payloads?: { data?: string }[] } };
}

/** The activity failures a committed history recorded, decoded as the workflow sees them (json/plain payloads). */
export function recordedFailures(name: string): RecordedFailure[] {
  const history = JSON.parse(readFileSync(join(HISTORIES_DIR, `${name}.json`), 'utf8')) as {
    events: { activityTaskFailedEventAttributes?: { failure: JsonFailure } }[];
  };
  return history.events.flatMap((event) => {
    const failure = event.activityTaskFailedEventAttributes?.failure;
    if (!failure) return [];
    const payloads = failure.applicationFailureInfo?.details?.payloads ?? [];
    const details = payloads.map((p): unknown => JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')));
    return [{ message: failure.message, type: failure.applicationFailureInfo?.type ?? null, details }];
  });
}
