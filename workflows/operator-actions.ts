import { ApplicationFailure } from '@temporalio/common';
import { condition, setHandler } from '@temporalio/workflow';
import {
  cancelUpdate,
  retryUpdate,
  speedUpUpdate,
  type OperatorRequest,
  type OperatorResult,
} from '../src/contracts/payment-messages';
import { NETWORKS } from '../src/contracts/networks';
import { denyAndConfirm } from './approval-wait';
import { operatorCalls } from './payment-activities';
import { activityFailureMessage, type PaymentRun } from './payment-run';

const who = (request: OperatorRequest) => (request.operator ? ` by ${request.operator}` : '');

/** Refuses, synchronously and with a reason, an action the payment's state does not allow. */
function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'OperatorActionRefused');
}

/** Why the payment's state does not allow a cancel now, or undefined when it does. */
export function cancelRefusal(run: PaymentRun): string | undefined {
  const { status, txHash } = run.state;
  if (run.final) return `cannot cancel: the payment is already final (${status})`;
  if (run.cancelling) return 'cannot cancel: a cancel is already in progress';
  if (status === 'Broadcasted')
    return `cannot cancel: the transfer is already broadcast (${txHash ?? 'txHash unknown'}); use speedUp or wait`;
  if (status === 'Accepted' && !run.state.waitingForFunds)
    return 'cannot cancel yet: the transfer is being submitted to Dfns; try again in a few seconds';
  return undefined;
}

function validateCancel(run: PaymentRun): void {
  const refusal = cancelRefusal(run);
  if (refusal) refuse(refusal);
}

/** Cancels before broadcast: deny the approval as the initiator, or abort the transfer; done only when Dfns agrees. */
export async function cancelPayment(run: PaymentRun, request: OperatorRequest): Promise<OperatorResult> {
  const reason = `cancelled${who(request)}${request.reason ? `: ${request.reason}` : ''}`;
  run.note({ source: 'operator', event: 'cancel requested', note: reason }, true);
  if (run.status === 'AttemptFailed' || (run.status === 'Accepted' && run.state.waitingForFunds)) {
    run.finish('Cancelled', reason, { source: 'operator', event: 'cancel' });
    return { status: run.status, message: 'cancelled; nothing was on chain' };
  }
  run.cancelling = { reason };
  try {
    if (run.status === 'AwaitingApproval' && run.state.approval?.status !== 'Approved') {
      await denyAndConfirm(run, reason);
    } else if (run.state.transferId) {
      run.applyTransfer(
        await operatorCalls(run).abortTransfer({ walletId: run.walletId, transferId: run.state.transferId }),
      );
    }
  } catch (error) {
    const message = activityFailureMessage(error);
    if (message === undefined) throw error;
    run.note({ source: 'operator', event: 'cancel failed', note: message });
    return refuse(`cancel failed: ${message}`);
  } finally {
    run.cancelling = undefined;
  }
  if (run.status !== 'Cancelled') refuse(`cancel did not take effect: the payment is ${run.status}`);
  return { status: run.status, message: reason };
}

/** Registers cancel, retry and speedUp as Temporal Updates with synchronous validators. */
export function registerOperatorActions(run: PaymentRun): void {
  setHandler(cancelUpdate, (request) => cancelPayment(run, request), {
    validator: (_request: OperatorRequest) => validateCancel(run),
    description: 'Cancel before broadcast',
  });

  setHandler(
    retryUpdate,
    async (request) => {
      const attempt = run.state.attempt;
      run.note(
        {
          source: 'operator',
          event: 'retry requested',
          note: `retry${who(request)}${request.reason ? `: ${request.reason}` : ''}`,
        },
        true,
      );
      run.retryRequested = true;
      await condition(() => run.state.attempt > attempt || run.final);
      return {
        status: run.status,
        message: `attempt ${run.state.attempt} started with externalId ${run.state.externalId}`,
      };
    },
    {
      validator: (_request: OperatorRequest) => {
        if (run.status !== 'AttemptFailed')
          refuse(
            `cannot retry: only a failed attempt with nothing on chain can be retried; the payment is ${run.status}`,
          );
        if (run.retryRequested) refuse('cannot retry: a retry is already in progress');
      },
      description: 'Retry a failed attempt that put nothing on chain',
    },
  );

  setHandler(
    speedUpUpdate,
    async (request) => {
      const transferId = run.state.transferId as string;
      run.note({ source: 'operator', event: 'speed-up requested', note: `speed-up${who(request)}` }, true);
      try {
        run.applyTransfer(await operatorCalls(run).speedUpTransfer({ walletId: run.walletId, transferId }));
      } catch (error) {
        const message = activityFailureMessage(error);
        if (message === undefined) throw error;
        return refuse(`speed-up failed: ${message}`);
      }
      return { status: run.status, message: `sped up; txHash ${run.state.txHash ?? 'unknown'}` };
    },
    {
      validator: (_request: OperatorRequest) => {
        if (run.status !== 'Broadcasted')
          refuse(`cannot speed up: only a broadcast transfer can be sped up; the payment is ${run.status}`);
        if (!NETWORKS[run.input.request.network].supportsSpeedUp)
          refuse(`cannot speed up: Dfns does not support it on ${run.input.request.network}`);
      },
      description: 'Rebroadcast with a higher fee',
    },
  );
}
