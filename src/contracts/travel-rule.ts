import { z } from 'zod';

/** The largest Travel Rule payload a payment may carry, as compact JSON: it travels in Temporal and to Dfns. */
export const TRAVEL_RULE_MAX_BYTES = 16_384;

/** A JSON object of any keys (not an array, not null): its content is Notabene's to check. */
const anyObject = (error: string) => z.record(z.string(), z.unknown(), { error });

/** An IVMS101 party (originator or beneficiary): Dfns passes it to Notabene as it is, so only its shape is checked. */
const party = (what: string) =>
  anyObject(`must be an object (the ${what}, IVMS101)`).refine((value) => Object.keys(value).length > 0, {
    error: `must not be empty (the ${what}, IVMS101)`,
  });

/**
 * The Travel Rule payload Dfns forwards to Notabene with a transfer (the transfer body's `travelRule`, as @dfns/sdk
 * types it and https://docs.dfns.co/integrations/travel-rule/notabene describes it): `kind` "Notabene", the
 * beneficiary VASP's DID when known, an ownership proof, and the originator and beneficiary in IVMS101. It holds
 * personal data: it is sent to Dfns and kept out of logs and views.
 */
export const travelRuleSchema = z
  .object({
    kind: z.literal('Notabene', { error: 'must be "Notabene" (the Travel Rule provider Dfns supports)' }),
    beneficiaryVASPdid: z
      .string({ error: 'must be a string' })
      .max(500, 'must be at most 500 characters')
      .regex(/^did:[a-z0-9]+:\S+$/, 'must be a DID (did:<method>:<id>)')
      .optional(),
    beneficiaryProof: anyObject('must be an object (the ownership proof)').optional(),
    originator: party('originator'),
    beneficiary: party('beneficiary'),
  })
  .strict()
  .superRefine((payload, ctx) => {
    const bytes = new TextEncoder().encode(JSON.stringify(payload)).length;
    if (bytes > TRAVEL_RULE_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${TRAVEL_RULE_MAX_BYTES} bytes as JSON (${bytes})` });
    }
  })
  .meta({
    description:
      'Travel Rule data for Notabene (IVMS101 originator and beneficiary), sent to Dfns with the transfer; never ' +
      'shown back or logged',
  });

/** A validated Travel Rule payload. */
export type TravelRule = z.infer<typeof travelRuleSchema>;
