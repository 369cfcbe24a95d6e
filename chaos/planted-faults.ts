import type { ChaosData } from './chaos-data';
import { checkChaos, counts, type ChaosVerdict } from './checker';

type Count = keyof ReturnType<typeof counts>;

/** One known fault planted in a copy of the data, and the count that must catch it. */
interface Plant {
  name: string;
  catches: Count;
  plant(data: ChaosData): boolean;
}

const confirmed = (data: ChaosData) => data.payments.find((payment) => payment.final?.status === 'Confirmed');

const PLANTS: Plant[] = [
  {
    name: 'a dropped payment (its final state never seen)',
    catches: 'lost',
    plant(data) {
      const payment = data.payments.find((candidate) => candidate.final);
      if (!payment) return false;
      delete payment.final;
      return true;
    },
  },
  {
    name: 'a duplicate transfer (a second broadcast for one payment)',
    catches: 'duplicate',
    plant(data) {
      const payment = confirmed(data);
      const transfer = data.transfers.find((candidate) => candidate.externalId === payment?.final?.externalId);
      if (!payment?.final || !transfer) return false;
      const attempt = payment.final.attempt + 1;
      const copy = { ...transfer, id: `${transfer.id}-planted`, externalId: `${payment.paymentId}:a${attempt}` };
      data.transfers.push({ ...copy, txHash: `${transfer.txHash ?? '0x'}ff` });
      return true;
    },
  },
  {
    name: 'a flipped status (Confirmed reported as Failed)',
    catches: 'mismatched',
    plant(data) {
      const final = confirmed(data)?.final;
      if (!final) return false;
      final.status = 'Failed';
      return true;
    },
  },
  {
    name: 'an accepted forgery (a forged webhook answered 200)',
    catches: 'acceptedForgeries',
    plant(data) {
      const forgery = data.forgeries.find((candidate) => candidate.kind === 'forged');
      if (forgery) forgery.status = 200;
      else data.forgeries.push({ kind: 'forged', eventId: 'whe-planted', status: 200 });
      return true;
    },
  },
];

/** How one planted fault went: caught when exactly its count rose by one and no other count moved. */
export interface PlantResult {
  name: string;
  catches: Count;
  planted: boolean;
  caught: boolean;
}

/**
 * Plants each known fault in its own deep copy of the run's data and checks that the checker reports exactly it: the
 * proof that a clean verdict is not a checker that cannot see. The original data is never changed.
 */
export function proveChecker(data: ChaosData, baseline: ChaosVerdict = checkChaos(data)): PlantResult[] {
  const before = counts(baseline);
  return PLANTS.map((known) => {
    const { name, catches } = known;
    const copy = structuredClone(data);
    const planted = known.plant(copy);
    const after = counts(checkChaos(copy));
    const caught =
      planted &&
      (Object.keys(before) as Count[]).every((key) => after[key] === before[key] + (key === catches ? 1 : 0));
    return { name, catches, planted, caught };
  });
}
