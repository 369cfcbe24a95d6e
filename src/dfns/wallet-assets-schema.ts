import { z } from 'zod';
import type { PaymentRequest } from '../contracts/payment-request';
import { sameAsset } from '../contracts/pool-definition';

/**
 * The fields of Dfns's `GET /wallets/{walletId}/assets` answer the pools read
 * (https://docs.dfns.co/api-reference/wallets/get-wallet-assets); the rest pass through.
 */
export const dfnsWalletAssetsSchema = z.looseObject({
  walletId: z.string().min(1),
  network: z.string(),
  assets: z.array(
    z.looseObject({
      kind: z.string(),
      contract: z.string().optional(),
      mint: z.string().optional(),
      balance: z.string().regex(/^[0-9]+$/),
    }),
  ),
});

export type DfnsWalletAssets = z.infer<typeof dfnsWalletAssetsSchema>;

/** The wallet's balance of `asset` in minimum units; "0" when the wallet holds none of it (Dfns lists no entry). */
export function balanceOf(assets: DfnsWalletAssets, asset: PaymentRequest['asset']): string {
  const found = assets.assets.find((entry) => {
    if (entry.kind !== asset.kind) return false;
    if (asset.kind === 'Native') return true;
    const mintKind = asset.kind === 'Spl' || asset.kind === 'Spl2022';
    const id = mintKind ? entry.mint : entry.contract;
    if (id === undefined) return false;
    const as = mintKind ? { ...asset, mint: id } : { ...asset, contract: id };
    return sameAsset(asset, as);
  });
  return found?.balance ?? '0';
}
