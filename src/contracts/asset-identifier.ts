import type { PaymentRequest } from './payment-request';

/**
 * How a payment names its asset: "Native", or the token's contract or mint. Apart from payment-request.ts so that
 * workflow code (the Web UI summary) can use it without loading zod and the address codecs.
 */
export function assetIdentifier(asset: PaymentRequest['asset']): string {
  if (asset.kind === 'Native') return 'Native';
  return asset.kind === 'Spl' || asset.kind === 'Spl2022' ? asset.mint : asset.contract;
}
