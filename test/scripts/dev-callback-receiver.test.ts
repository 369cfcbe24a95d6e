// The dev stack's callback receiver, fed by the real callback activity: it prints what a verified callback carried,
// and says so when a signature does not verify.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCallbackActivities } from '../../activities/callback-activities';
import { callbackPolicy } from '../../src/callbacks/callback-url-policy';
import { createCallbackSender } from '../../src/callbacks/callback-sender';
import { startDevCallbackReceiver } from '../../scripts/dev-callback-receiver';

const outcome = {
  paymentId: 'payment:dev:k1',
  status: 'Confirmed' as const,
  attempt: 1,
  externalId: 'payment:dev:k1:a1',
};

describe('the dev callback receiver', () => {
  it('prints a verified outcome from the worker, and a callback signed with another secret as not verifying', async () => {
    const lines: string[] = [];
    const receiver = await startDevCallbackReceiver({
      secret: 'dev-callback-secret-0123',
      print: (l) => lines.push(l),
    });
    const policy = callbackPolicy({ insecureHosts: [receiver.hostPort] });
    const sender = createCallbackSender({ insecureHosts: policy.insecureHosts });
    try {
      const send = (secret: string) =>
        createCallbackActivities({ secret, policy, sender }).sendOutcomeCallback({ url: receiver.url, outcome });
      assert.deepEqual(await send('dev-callback-secret-0123'), { status: 204 });
      await assert.rejects(send('some-other-secret-0123'), /answered 401/);
      assert.deepEqual(lines, [
        'payment:dev:k1 Confirmed (signature verified)',
        'payment:dev:k1 Confirmed (SIGNATURE DOES NOT VERIFY)',
      ]);
    } finally {
      await sender.close();
      await receiver.close();
    }
  });
});
