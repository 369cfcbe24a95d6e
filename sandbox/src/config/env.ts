import { z } from 'zod';
import type { SandboxOptions } from '../sandbox';

// Unset and empty variables both mean "use the default".
const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Every variable the sandbox reads (the docs may name only these and the orchestrator's). */
export const SANDBOX_VARIABLES = {
  SANDBOX_HOST: optional(z.string()),
  SANDBOX_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  SANDBOX_STATE_FILE: optional(z.string()),
  SANDBOX_CREDENTIALS_FILE: optional(z.string()),
  SANDBOX_WEBHOOK_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_TIME_SCALE: optional(z.coerce.number().finite().positive()),
  SANDBOX_VELOCITY_WINDOW_SCALE: optional(z.coerce.number().finite().positive()),
  SANDBOX_BLOCK_TIME_MS: optional(z.coerce.number().finite().positive()),
  SANDBOX_RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(0)),
  SANDBOX_BLOCK_MODE: optional(z.enum(['rejected-transfer', 'http-403'])),
  SANDBOX_AUTO_REJECT_TIMEOUT_UNIT: optional(z.enum(['minutes', 'seconds'])),
};
const EnvSchema = z.object(SANDBOX_VARIABLES);

/** The only reader of `process.env` for the CLI: returns options, or the problems found. */
export function optionsFromEnv(
  env: NodeJS.ProcessEnv,
): { ok: true; options: SandboxOptions } | { ok: false; problems: string[] } {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const e = parsed.data;
  return {
    ok: true,
    options: {
      host: e.SANDBOX_HOST ?? '127.0.0.1',
      port: e.SANDBOX_PORT ?? 8788,
      stateFile: e.SANDBOX_STATE_FILE ?? '.local/sandbox-state.json',
      credentialsFile: e.SANDBOX_CREDENTIALS_FILE ?? '.local/dfns-sandbox.json',
      ...(e.SANDBOX_WEBHOOK_URL !== undefined ? { webhookUrl: e.SANDBOX_WEBHOOK_URL } : {}),
      ...(e.SANDBOX_TIME_SCALE !== undefined ? { timeScale: e.SANDBOX_TIME_SCALE } : {}),
      ...(e.SANDBOX_VELOCITY_WINDOW_SCALE !== undefined
        ? { velocityWindowScale: e.SANDBOX_VELOCITY_WINDOW_SCALE }
        : {}),
      ...(e.SANDBOX_BLOCK_TIME_MS !== undefined ? { blockTimeMs: e.SANDBOX_BLOCK_TIME_MS } : {}),
      ...(e.SANDBOX_RATE_LIMIT_PER_MINUTE !== undefined ? { rateLimitPerMinute: e.SANDBOX_RATE_LIMIT_PER_MINUTE } : {}),
      ...(e.SANDBOX_BLOCK_MODE !== undefined ? { blockMode: e.SANDBOX_BLOCK_MODE } : {}),
      ...(e.SANDBOX_AUTO_REJECT_TIMEOUT_UNIT !== undefined
        ? { autoRejectTimeoutUnit: e.SANDBOX_AUTO_REJECT_TIMEOUT_UNIT }
        : {}),
    },
  };
}
