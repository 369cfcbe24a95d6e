import { z } from 'zod';
import { poolDefinitionSchema } from '../contracts/pool-definition';

/** A pools file: the wallet pools payments may name, versioned with the code like the policy files. */
export const poolFileSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1' }),
    description: z.string().optional(),
    pools: z.array(poolDefinitionSchema, { error: 'must be a list of pools' }),
  })
  .superRefine((file, ctx) => {
    file.pools.forEach((pool, i) => {
      if (file.pools.findIndex((other) => other.name === pool.name) !== i)
        ctx.addIssue({ code: 'custom', path: ['pools', i, 'name'], message: `"${pool.name}" is declared twice` });
    });
  });

export type PoolFile = z.infer<typeof poolFileSchema>;
