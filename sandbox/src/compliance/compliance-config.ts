import { z } from 'zod';

/** Chainalysis alert levels, lowest first (the `alerts.alertLevel` enum of @dfns/sdk's prescreening rule). */
export const ALERT_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'SEVERE'] as const;

/**
 * The networks whose transfers Dfns screens with Chainalysis, per transfer kind, as
 * https://docs.dfns.co/integrations/aml-kyt/chainalysis lists them ("Supported Transfers"). Testnets are not on
 * the list; a test adds the networks it screens through the admin API.
 */
export const DFNS_SCREENED_NETWORKS = {
  Native: [
    'Algorand',
    'ArbitrumOne',
    'AvalancheC',
    'Bitcoin',
    'Bsc',
    'Ethereum',
    'FantomOpera',
    'Litecoin',
    'Optimism',
    'Polygon',
    'Solana',
    'Tron',
    'XrpLedger',
  ],
  Erc20: ['ArbitrumOne', 'AvalancheC', 'Bsc', 'Ethereum', 'Optimism', 'Polygon'],
};

/**
 * One address the simulated Chainalysis knows as risky: the alert a withdrawal to it raises, in the shape of
 * Chainalysis KYT's withdrawal-attempt alerts (`alertLevel`, `category`, `categoryId`, `exposureType`).
 */
export const RiskyAddressSchema = z.strictObject({
  address: z.string().min(1),
  alertLevel: z.enum(ALERT_LEVELS),
  category: z.string().min(1),
  categoryId: z.number().int().min(0),
  exposureType: z.enum(['DIRECT', 'INDIRECT']).default('DIRECT'),
});

/** What the simulated Chainalysis knows: risky addresses and the networks it screens per transfer kind. */
export const ScreeningConfigSchema = z.strictObject({
  addresses: z.array(RiskyAddressSchema).default([]),
  networks: z
    .strictObject({ Native: z.array(z.string().min(1)), Erc20: z.array(z.string().min(1)) })
    .default(() => structuredClone(DFNS_SCREENED_NETWORKS)),
  /** While true, every screening fails as if Chainalysis were down (the rule's `skipChainalysisFailure` decides). */
  unavailable: z.boolean().default(false),
});

/**
 * How the simulated Notabene answers a transfer's Travel Rule data: without data, with a beneficiary VASP that
 * refuses, or without the beneficiary's VASP DID, the exchange fails and a `TravelRuleTransactionPrescreening`
 * policy triggers (https://docs.dfns.co/integrations/travel-rule/notabene).
 */
export const TravelRuleConfigSchema = z.strictObject({
  refuseWithoutPayload: z.boolean().default(true),
  refuseVaspDids: z.array(z.string().min(1)).default([]),
  requireBeneficiaryVaspDid: z.boolean().default(false),
});

/** The simulated Chainalysis. */
export type ScreeningConfig = z.infer<typeof ScreeningConfigSchema>;
/** The simulated Notabene. */
export type TravelRuleConfig = z.infer<typeof TravelRuleConfigSchema>;
/** One risky address. */
export type RiskyAddress = z.infer<typeof RiskyAddressSchema>;

/** The defaults a new state and a reset start from: no risky address, Dfns's networks, every payload accepted. */
export const defaultScreening = (): ScreeningConfig => ScreeningConfigSchema.parse({});
export const defaultTravelRule = (): TravelRuleConfig => TravelRuleConfigSchema.parse({});
