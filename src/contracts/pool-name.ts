import { z } from 'zod';

/** A wallet pool's name: lower-case words joined by "-", so it fits a workflow id and a metric label as is. */
export const poolNameSchema = z
  .string({ error: 'must be a string' })
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a pool name: lower-case letters and digits, words joined by "-"');
