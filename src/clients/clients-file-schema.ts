import { z } from 'zod';
import { CLIENT_ID_PATTERN } from '../contracts/payment-id';
import { poolNameSchema } from '../contracts/pool-name';

const walletIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^wa-[A-Za-z0-9-]+$/, 'must be a Dfns wallet id (wa-…)');

/** `host` or `host:port`, the host as a URL spells it (a name, an IPv4 address, or an IPv6 one in brackets). */
const HOST_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[^\s:/?#@[\]]+)(?::(\d{1,5}))?$/;

/** An entry in its canonical form (lower case, IPv6 in brackets, as `URL.hostname` gives it), or undefined. */
function canonicalHostEntry(text: string): string | undefined {
  const bareIPv6 = !text.startsWith('[') && (text.match(/:/g)?.length ?? 0) > 1;
  const match = HOST_ENTRY.exec(bareIPv6 ? `[${text}]` : text);
  if (!match?.[1]) return undefined;
  let host: string;
  try {
    host = new URL(`http://${match[1]}/`).hostname;
  } catch {
    return undefined;
  }
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (!host || (port !== undefined && (port < 1 || port > 65535))) return undefined;
  return port === undefined ? host : `${host}:${port}`;
}

/** A host a client's callback URLs may name: `host` (any port) or `host:port`, kept in its canonical form. */
const callbackHostSchema = z.string({ error: 'must be a string' }).transform((text, ctx) => {
  const entry = canonicalHostEntry(text.trim());
  if (entry !== undefined) return entry;
  ctx.addIssue({
    code: 'custom',
    message: 'must be a host or host:port (hooks.example.com, hooks.example.com:8443), without scheme or path',
  });
  return z.NEVER;
});

/** A list in which each entry may appear once; a repeat is named where it stands. */
const listOf = <T extends z.ZodType<string>>(item: T, what: string) =>
  z.array(item, { error: `must be a list of ${what}` }).superRefine((items, ctx) => {
    items.forEach((value, i) => {
      if (items.indexOf(value) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice' });
    });
  });

/**
 * What one payer may use: the wallets it may pay from by `walletId`, the pools it may name, and, when given, the only
 * hosts its callback URLs may name. Absent lists are empty: nothing is bound unless the file says so.
 */
const bindingFields = {
  wallets: listOf(walletIdSchema, 'Dfns wallet ids').default([]),
  pools: listOf(poolNameSchema, 'pool names').default([]),
  callbackHosts: listOf(callbackHostSchema, 'host names').optional(),
};

/** One API client (tenant), named as its API keys name it, and what it may pay from. */
export const clientEntrySchema = z.strictObject({
  id: z
    .string({ error: 'must be a string' })
    .regex(
      CLIENT_ID_PATTERN,
      'must be a client id: lower-case letters, digits and "-", at most 40, as in its API keys',
    ),
  description: z.string().optional(),
  ...bindingFields,
});

/**
 * A clients file: which wallets and pools each client may pay from, versioned with the deployment like the pools
 * file. `withoutClient` binds payments that name no client (started on Temporal directly: the CLI or PaymentClient
 * without a client id); absent, they may pay from nothing.
 */
export const clientsFileSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1' }),
    description: z.string().optional(),
    clients: z.array(clientEntrySchema, { error: 'must be a list of clients' }),
    withoutClient: z.strictObject({ description: z.string().optional(), ...bindingFields }).optional(),
  })
  .superRefine((file, ctx) => {
    file.clients.forEach((client, i) => {
      if (file.clients.findIndex((other) => other.id === client.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['clients', i, 'id'], message: `"${client.id}" is declared twice` });
    });
  });

/** A clients file as written (lists may be left out). */
export type ClientsFileInput = z.input<typeof clientsFileSchema>;
/** A validated clients file. */
export type ClientsFile = z.infer<typeof clientsFileSchema>;
